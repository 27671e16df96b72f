// SPDX-License-Identifier: GPL-2.0-only
/*
 * dd_chardev.c - /dev/daedalus-v4l2, the daemon's side of the module.
 *
 * One daemon at a time (a second open gets -EBUSY).  read() returns one
 * whole protocol message (common/dd_proto.h): our HELLO first, then
 * CTX_CLOSE notices and JOBs with the bitstream inline; write() takes one
 * message, a HELLO or a DONE, and every DONE is checked by the scheduler
 * (unknown, replayed or foreign cookies are refused with -EINVAL and
 * change nothing).  mmap() maps a CAPTURE buffer at the offset its JOB
 * named, so the daemon writes the picture in place.  When the daemon
 * closes, its jobs fail at once; jobs issued while no daemon is there fail
 * fast (a work item, since they are issued under a context lock).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dd_drv.h"
#include "dd_proto.h"

/* A small message waiting for read(): HELLO, CTX_CLOSE. */
struct dd_chr_msg {
	struct list_head node;
	size_t len;
	u8 data[];
};

static struct dd_dev *dd_chr_dev(struct file *file)
{
	struct miscdevice *misc = file->private_data;

	return container_of(misc, struct dd_dev, misc);
}

static bool dd_chr_has_daemon(struct dd_dev *dd)
{
	bool ret;

	spin_lock(&dd->chr_lock);
	ret = dd->daemon;
	spin_unlock(&dd->chr_lock);
	return ret;
}

static void dd_chr_queue_msg(struct dd_dev *dd, struct dd_chr_msg *m)
{
	bool queued = false;

	spin_lock(&dd->chr_lock);
	if (dd->daemon) {
		list_add_tail(&m->node, &dd->msgs);
		queued = true;
	}
	spin_unlock(&dd->chr_lock);
	if (queued)
		wake_up_interruptible(&dd->chr_wq);
	else
		kfree(m);
}

/* Scheduler: a job is ready (called under a context lock). */
static void dd_chr_job_ready(struct dd_sched_dev *sd)
{
	struct dd_dev *dd = sd->priv;

	if (!dd_chr_has_daemon(dd)) {
		schedule_work(&dd->fail_work);
		return;
	}
	wake_up_interruptible(&dd->chr_wq);
	dd_wdog_arm(dd);
}

/* Scheduler: a context closed; the daemon may drop its decoder. */
static void dd_chr_ctx_closed(struct dd_sched_dev *sd, u32 ctx_id)
{
	struct dd_dev *dd = sd->priv;
	struct dd_chr_msg *m;
	long n;

	if (!dd_chr_has_daemon(dd))
		return;
	m = kzalloc(sizeof(*m) + sizeof(struct dd_msg_hdr), GFP_KERNEL);
	if (!m)
		return;
	n = dd_proto_encode_ctx_close(m->data, sizeof(struct dd_msg_hdr), ctx_id);
	if (n < 0) {
		kfree(m);
		return;
	}
	m->len = n;
	dd_chr_queue_msg(dd, m);
}

const struct dd_sched_dev_ops dd_chr_sched_dev_ops = {
	.job_ready = dd_chr_job_ready,
	.ctx_closed = dd_chr_ctx_closed,
};

static void dd_chr_fail_work(struct work_struct *work)
{
	struct dd_dev *dd = container_of(work, struct dd_dev, fail_work);
	unsigned int n;

	if (dd_chr_has_daemon(dd))
		return;
	n = dd_sched_dev_fail_all(&dd->sd);
	if (n) {
		atomic64_add(n, &dd->stats.no_daemon);
		dev_warn_ratelimited(&dd->pdev->dev,
				     "no daemon on /dev/%s: %u decode job(s) failed\n",
				     DD_CHR_NAME, n);
	}
}

static bool dd_chr_readable(struct dd_dev *dd)
{
	bool ret;

	spin_lock(&dd->chr_lock);
	ret = dd->pending || !list_empty(&dd->msgs);
	spin_unlock(&dd->chr_lock);
	return ret || dd_sched_dev_has_ready(&dd->sd);
}

/* The next message to deliver into dd->pending; read_lock held. */
static int dd_chr_next_msg(struct dd_dev *dd)
{
	struct dd_chr_msg *m;
	struct dd_job *job;
	void *buf;
	long len;

	if (dd->pending)
		return 0;
	spin_lock(&dd->chr_lock);
	m = list_first_entry_or_null(&dd->msgs, struct dd_chr_msg, node);
	if (m)
		list_del(&m->node);
	spin_unlock(&dd->chr_lock);
	if (m) {
		buf = kvmalloc(m->len, GFP_KERNEL);
		if (!buf) {
			kfree(m);
			return -ENOMEM;
		}
		memcpy(buf, m->data, m->len);
		dd->pending = buf;
		dd->pending_len = m->len;
		kfree(m);
		return 0;
	}
	job = dd_sched_dev_next_job(&dd->sd);
	if (!job)
		return -EAGAIN;
	len = dd_proto_job_size(&job->proto);
	buf = len > 0 ? kvmalloc(len, GFP_KERNEL) : NULL;
	if (buf)
		len = dd_proto_encode_job(buf, len, &job->proto);
	dd_sched_job_put(&dd->sd, job);
	if (!buf || len < 0) {
		/* The job stays with the daemon's; the watchdog fails it. */
		kvfree(buf);
		dev_err(&dd->pdev->dev, "cannot encode a job (%ld)\n", len);
		return len < 0 ? (int)len : -ENOMEM;
	}
	dd->pending = buf;
	dd->pending_len = len;
	return 0;
}

static ssize_t dd_chr_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct dd_dev *dd = dd_chr_dev(file);
	ssize_t ret;

	for (;;) {
		mutex_lock(&dd->read_lock);
		ret = dd_chr_next_msg(dd);
		if (!ret) {
			if (count < dd->pending_len) {
				ret = -EMSGSIZE;
			} else if (copy_to_user(ubuf, dd->pending, dd->pending_len)) {
				ret = -EFAULT;
			} else {
				ret = dd->pending_len;
				kvfree(dd->pending);
				dd->pending = NULL;
				dd->pending_len = 0;
			}
		}
		mutex_unlock(&dd->read_lock);
		if (ret != -EAGAIN)
			return ret;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(dd->chr_wq, dd_chr_readable(dd)))
			return -ERESTARTSYS;
	}
}

static ssize_t dd_chr_write(struct file *file, const char __user *ubuf, size_t count,
			    loff_t *ppos)
{
	struct dd_dev *dd = dd_chr_dev(file);
	union {
		struct dd_wire_done done;
		struct dd_wire_hello hello;
	} msg;
	struct dd_proto_hello hello;
	struct dd_proto_done done;
	u32 type;
	int ret;

	if (count < sizeof(struct dd_msg_hdr) || count > sizeof(msg)) {
		dev_err_ratelimited(&dd->pdev->dev, "daemon wrote %zu bytes: no message\n",
				    count);
		return -EINVAL;
	}
	if (copy_from_user(&msg, ubuf, count))
		return -EFAULT;
	ret = dd_proto_check_hdr(&msg, count, &type);
	if (ret)
		return ret;
	switch (type) {
	case DD_MSG_HELLO:
		ret = dd_proto_decode_hello(&msg, count, &hello);
		if (ret)
			return ret;
		dev_info(&dd->pdev->dev, "daemon \"%s\" speaks protocol %u, codecs 0x%x\n",
			 hello.name, hello.proto_version, hello.codecs);
		return count;
	case DD_MSG_DONE:
		ret = dd_proto_decode_done(&msg, count, &done);
		if (!ret)
			ret = dd_sched_dev_complete(&dd->sd, &done);
		if (ret) {
			atomic64_inc(&dd->stats.bad_done);
			return -EINVAL;
		}
		return count;
	default:
		dev_err_ratelimited(&dd->pdev->dev, "daemon sent message type %u\n", type);
		return -EINVAL;
	}
}

static __poll_t dd_chr_poll(struct file *file, struct poll_table_struct *wait)
{
	struct dd_dev *dd = dd_chr_dev(file);
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, &dd->chr_wq, wait);
	if (dd_chr_readable(dd))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int dd_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	return dd_vb2_daemon_mmap(dd_chr_dev(file), vma);
}

static int dd_chr_open(struct inode *inode, struct file *file)
{
	struct dd_dev *dd = dd_chr_dev(file);
	struct dd_proto_hello hello = { .proto_version = DD_PROTO_VERSION };
	struct dd_chr_msg *m;
	unsigned int i;
	long n;

	m = kzalloc(sizeof(*m) + sizeof(struct dd_wire_hello), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	for (i = 0; i < dd_num_codecs; i++)
		hello.codecs |= BIT(dd_codecs[i]->proto_codec);
	strscpy(hello.name, "daedalus-v4l2 kernel module", sizeof(hello.name));
	n = dd_proto_encode_hello(m->data, sizeof(struct dd_wire_hello), &hello);
	if (n < 0) {
		kfree(m);
		return n;
	}
	m->len = n;

	spin_lock(&dd->chr_lock);
	if (dd->daemon) {
		spin_unlock(&dd->chr_lock);
		kfree(m);
		dev_info(&dd->pdev->dev, "/dev/%s already has a daemon\n", DD_CHR_NAME);
		return -EBUSY;
	}
	dd->daemon = file;
	list_add_tail(&m->node, &dd->msgs);
	spin_unlock(&dd->chr_lock);
	stream_open(inode, file);
	dev_info(&dd->pdev->dev, "daemon connected (pid %d)\n", task_tgid_nr(current));
	/* Jobs issued while nobody listened are waiting. */
	wake_up_interruptible(&dd->chr_wq);
	if (dd_sched_dev_has_ready(&dd->sd))
		dd_wdog_arm(dd);
	return 0;
}

static int dd_chr_release(struct inode *inode, struct file *file)
{
	struct dd_dev *dd = dd_chr_dev(file);
	struct dd_chr_msg *m, *tmp;
	unsigned int n;
	LIST_HEAD(msgs);

	spin_lock(&dd->chr_lock);
	dd->daemon = NULL;
	list_splice_init(&dd->msgs, &msgs);
	spin_unlock(&dd->chr_lock);
	list_for_each_entry_safe(m, tmp, &msgs, node)
		kfree(m);
	mutex_lock(&dd->read_lock);
	kvfree(dd->pending);
	dd->pending = NULL;
	dd->pending_len = 0;
	mutex_unlock(&dd->read_lock);

	n = dd_sched_dev_fail_all(&dd->sd);
	atomic64_add(n, &dd->stats.no_daemon);
	dev_info(&dd->pdev->dev, "daemon closed /dev/%s: %u job(s) failed\n", DD_CHR_NAME, n);
	return 0;
}

static const struct file_operations dd_chr_fops = {
	.owner = THIS_MODULE,
	.open = dd_chr_open,
	.release = dd_chr_release,
	.read = dd_chr_read,
	.write = dd_chr_write,
	.poll = dd_chr_poll,
	.mmap = dd_chr_mmap,
};

int dd_chr_register(struct dd_dev *dd)
{
	int ret;

	INIT_WORK(&dd->fail_work, dd_chr_fail_work);
	dd->misc.minor = MISC_DYNAMIC_MINOR;
	dd->misc.name = DD_CHR_NAME;
	dd->misc.fops = &dd_chr_fops;
	dd->misc.mode = 0600;
	dd->misc.parent = &dd->pdev->dev;
	ret = misc_register(&dd->misc);
	if (ret) {
		dev_err(&dd->pdev->dev, "misc_register %s failed: %d\n", DD_CHR_NAME, ret);
		return ret;
	}
	dd->misc_registered = true;
	return 0;
}

void dd_chr_unregister(struct dd_dev *dd)
{
	if (dd->misc_registered)
		misc_deregister(&dd->misc);
	dd->misc_registered = false;
	cancel_work_sync(&dd->fail_work);
}
