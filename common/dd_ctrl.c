// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dd_ctrl.c - control value sets and the control ioctls on them, with the
 * semantics of the kernel's v4l2-ctrls (v4l2-ctrls-api.c, identical in 6.1
 * and 6.12) so the CUSE front end answers like a kernel driver:
 *
 *  - every control class in use gets its class control (read- and
 *    write-only, as the kernel adds them);
 *  - QUERY_EXT_CTRL enumerates with NEXT_CTRL (non-compound), NEXT_COMPOUND
 *    (compound only) or both (all); QUERYCTRL is the same walk with the
 *    ranges of non-integer-like types zeroed;
 *  - G/TRY/S_EXT_CTRLS check ids, class, sizes (ENOSPC with the needed size
 *    on GET, EFAULT on TRY/SET), access, then values; error_idx is the
 *    failing index, except that GET and SET report count for errors found
 *    before anything was touched;
 *  - SET is all or nothing: every payload is read and validated before any
 *    value changes.  Validated (possibly normalised) values are written
 *    back to the client like the kernel's new_to_user().
 *
 *  - dynamic arrays (V4L2_CTRL_FLAG_DYNAMIC_ARRAY, one dimension whose
 *    dims[0] is the maximum): a SET carries 1 .. dims[0] elements (the
 *    size rounded down to whole elements; 0 is EFAULT, more ENOSPC with
 *    the maximum size), GET returns the count last set (ENOSPC with that
 *    size when the buffer is smaller), QUERY_EXT_CTRL reports it in elems;
 *    a new control holds one default element.
 *
 * String controls are not supported (no codec has one).
 */
#include "dd_ctrl.h"

#define DD_CTRL_NEXT_FLAGS	(V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND)
#define DD_CTRL_CLASS_FLAGS	(V4L2_CTRL_FLAG_READ_ONLY | V4L2_CTRL_FLAG_WRITE_ONLY)

#define DD_CTRL_CLASS(_id, _name)			\
	{						\
		.id = (_id),				\
		.type = V4L2_CTRL_TYPE_CTRL_CLASS,	\
		.name = (_name),			\
		.elem_size = sizeof(s32),		\
		.flags = DD_CTRL_CLASS_FLAGS,		\
	}

/* The class controls the kernel adds next to the first control of a class. */
static const struct dd_ctrl_desc dd_ctrl_classes[] = {
	DD_CTRL_CLASS(V4L2_CID_USER_CLASS, "User Controls"),
	DD_CTRL_CLASS(V4L2_CID_CODEC_CLASS, "Codec Controls"),
	DD_CTRL_CLASS(V4L2_CID_CODEC_STATELESS_CLASS, "Stateless Codec Controls"),
};

static bool dd_ctrl_is_ptr(const struct dd_ctrl_desc *d)
{
	return d->type >= V4L2_CTRL_COMPOUND_TYPES || dd_ctrl_elems(d) > 1;
}

static bool dd_ctrl_is_dyn(const struct dd_ctrl_desc *d)
{
	return d->flags & V4L2_CTRL_FLAG_DYNAMIC_ARRAY;
}

static bool dd_ctrl_is_int(const struct dd_ctrl_desc *d)
{
	return !dd_ctrl_is_ptr(d) && d->type != V4L2_CTRL_TYPE_INTEGER64;
}

static u32 dd_ctrl_size(const struct dd_ctrl_desc *d)
{
	u32 elem = d->elem_size;

	if (!dd_ctrl_is_ptr(d))
		elem = d->type == V4L2_CTRL_TYPE_INTEGER64 ? sizeof(s64) : sizeof(s32);
	return elem * dd_ctrl_elems(d);
}

static const struct dd_ctrl_desc *dd_ctrl_class_desc(u32 ctrl_id)
{
	u32 class_id = V4L2_CTRL_ID2WHICH(ctrl_id) | 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dd_ctrl_classes); i++)
		if (dd_ctrl_classes[i].id == class_id)
			return &dd_ctrl_classes[i];
	return NULL;
}

/* Write the default value of `d` into a payload of dd_ctrl_size(d) bytes. */
static void dd_ctrl_default(const struct dd_ctrl_desc *d, void *p)
{
	u32 elems = dd_ctrl_elems(d), i;

	if (d->type >= V4L2_CTRL_COMPOUND_TYPES) {
		for (i = 0; i < elems; i++) {
			u8 *e = (u8 *)p + (size_t)i * d->elem_size;

			if (d->init)
				d->init(e);
			else
				memset(e, 0, d->elem_size);
		}
		return;
	}
	for (i = 0; i < elems; i++) {
		if (d->type == V4L2_CTRL_TYPE_INTEGER64)
			((s64 *)p)[i] = d->def;
		else if (d->type == V4L2_CTRL_TYPE_CTRL_CLASS ||
			 d->type == V4L2_CTRL_TYPE_BUTTON)
			((s32 *)p)[i] = 0;
		else
			((s32 *)p)[i] = (s32)d->def;
	}
}

static bool dd_ctrl_listed(const struct dd_ctrl_desc **list, unsigned int n,
			   const struct dd_ctrl_desc *d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == d)
			return true;
	return false;
}

int dd_ctrls_init(struct dd_ctrls *c, const struct dd_codec *codec)
{
	const struct dd_ctrl_desc **list;
	unsigned int n = 0, i, j, max;
	size_t total = 0, off = 0;

	memset(c, 0, sizeof(*c));
	max = codec->num_ctrls * 2;
	if (!max)
		return -EINVAL;
	list = dd_calloc(max, sizeof(*list));
	if (!list)
		return -ENOMEM;
	for (i = 0; i < codec->num_ctrls; i++) {
		const struct dd_ctrl_desc *cls = dd_ctrl_class_desc(codec->ctrls[i].id);

		list[n++] = &codec->ctrls[i];
		if (cls && !dd_ctrl_listed(list, n, cls))
			list[n++] = cls;
	}
	/* Sorted by id: the enumeration order of the kernel's handler. */
	for (i = 1; i < n; i++) {
		const struct dd_ctrl_desc *d = list[i];

		for (j = i; j > 0 && list[j - 1]->id > d->id; j--)
			list[j] = list[j - 1];
		list[j] = d;
	}
	for (i = 0; i < n; i++)
		total += ALIGN((size_t)dd_ctrl_size(list[i]), (size_t)8);
	c->vals = dd_calloc(n, sizeof(*c->vals));
	c->payload = dd_zalloc(total);
	if (!c->vals || !c->payload) {
		dd_free(c->vals);
		dd_free(c->payload);
		dd_free(list);
		memset(c, 0, sizeof(*c));
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct dd_ctrl_val *v = &c->vals[i];

		v->desc = list[i];
		v->cap = dd_ctrl_size(list[i]);
		v->size = dd_ctrl_is_dyn(v->desc) ? v->desc->elem_size : v->cap;
		v->p = (u8 *)c->payload + off;
		off += ALIGN((size_t)v->cap, (size_t)8);
		dd_ctrl_default(v->desc, v->p);
	}
	dd_free(list);
	c->codec = codec;
	c->num = n;
	return 0;
}

void dd_ctrls_free(struct dd_ctrls *c)
{
	dd_free(c->vals);
	dd_free(c->payload);
	memset(c, 0, sizeof(*c));
}

struct dd_ctrl_val *dd_ctrls_find(struct dd_ctrls *c, u32 id)
{
	unsigned int i;

	for (i = 0; i < c->num; i++)
		if (c->vals[i].desc->id == id)
			return &c->vals[i];
	return NULL;
}

static const struct dd_ctrl_val *dd_ctrls_find_const(const struct dd_ctrls *c, u32 id)
{
	return dd_ctrls_find((struct dd_ctrls *)c, id);
}

void dd_ctrls_clear_set(struct dd_ctrls *c)
{
	unsigned int i;

	for (i = 0; i < c->num; i++)
		c->vals[i].set = false;
}

/* QUERY_EXT_CTRL / QUERYCTRL */

static const struct dd_ctrl_val *dd_ctrls_lookup(const struct dd_ctrls *c, u32 qid)
{
	u32 id = qid & V4L2_CTRL_ID_MASK;
	u32 next = qid & DD_CTRL_NEXT_FLAGS;
	bool any = next == DD_CTRL_NEXT_FLAGS;
	bool want_compound = next == V4L2_CTRL_FLAG_NEXT_COMPOUND;
	unsigned int i;

	if (!next)
		return dd_ctrls_find_const(c, id);
	/* vals are sorted by id: the first match above id is the next one. */
	for (i = 0; i < c->num; i++) {
		const struct dd_ctrl_val *v = &c->vals[i];

		if (v->desc->id <= id)
			continue;
		if (any || dd_ctrl_is_ptr(v->desc) == want_compound)
			return v;
	}
	return NULL;
}

int dd_ctrls_query_ext(const struct dd_ctrls *c, struct v4l2_query_ext_ctrl *q)
{
	const struct dd_ctrl_val *v = dd_ctrls_lookup(c, q->id);
	const struct dd_ctrl_desc *d;
	unsigned int i;

	if (!v)
		return -EINVAL;
	d = v->desc;
	memset(q, 0, sizeof(*q));
	q->id = d->id;
	snprintf(q->name, sizeof(q->name), "%s", d->name);
	q->type = d->type;
	q->flags = d->flags;
	if (dd_ctrl_is_ptr(d))
		q->flags |= V4L2_CTRL_FLAG_HAS_PAYLOAD;
	q->elem_size = dd_ctrl_is_ptr(d) ? d->elem_size : dd_ctrl_size(d);
	q->elems = dd_ctrl_is_dyn(d) ? dd_ctrl_val_elems(v) : dd_ctrl_elems(d);
	for (i = 0; i < DD_CTRL_MAX_DIMS && d->dims[i]; i++)
		q->dims[i] = d->dims[i];
	q->nr_of_dims = i;
	q->minimum = d->min;
	q->maximum = d->max;
	q->default_value = d->def;
	if (d->type == V4L2_CTRL_TYPE_MENU || d->type == V4L2_CTRL_TYPE_INTEGER_MENU)
		q->step = 1;
	else
		q->step = d->step;
	return 0;
}

int dd_ctrls_queryctrl(const struct dd_ctrls *c, struct v4l2_queryctrl *q)
{
	struct v4l2_query_ext_ctrl qe;
	int ret;

	memset(&qe, 0, sizeof(qe));
	qe.id = q->id;
	ret = dd_ctrls_query_ext(c, &qe);
	if (ret)
		return ret;
	memset(q, 0, sizeof(*q));
	q->id = qe.id;
	q->type = qe.type;
	q->flags = qe.flags;
	memcpy(q->name, qe.name, sizeof(q->name));
	q->name[sizeof(q->name) - 1] = '\0';
	switch (qe.type) {
	case V4L2_CTRL_TYPE_INTEGER:
	case V4L2_CTRL_TYPE_BOOLEAN:
	case V4L2_CTRL_TYPE_MENU:
	case V4L2_CTRL_TYPE_INTEGER_MENU:
	case V4L2_CTRL_TYPE_STRING:
	case V4L2_CTRL_TYPE_BITMASK:
		q->minimum = (s32)qe.minimum;
		q->maximum = (s32)qe.maximum;
		q->step = (s32)qe.step;
		q->default_value = (s32)qe.default_value;
		break;
	default:
		break;
	}
	return 0;
}

int dd_ctrls_querymenu(const struct dd_ctrls *c, struct v4l2_querymenu *m)
{
	const struct dd_ctrl_val *v = dd_ctrls_find_const(c, m->id);
	const struct dd_ctrl_desc *d;
	u32 i = m->index;

	if (!v)
		return -EINVAL;
	d = v->desc;
	m->reserved = 0;
	if (d->type != V4L2_CTRL_TYPE_MENU || !d->menu)
		return -EINVAL;
	if ((s64)i < d->min || (s64)i > d->max)
		return -EINVAL;
	if (i < 64 && (d->menu_skip_mask & (1ULL << i)))
		return -EINVAL;
	if (!d->menu[i] || d->menu[i][0] == '\0')
		return -EINVAL;
	snprintf((char *)m->name, sizeof(m->name), "%s", d->menu[i]);
	return 0;
}

/* Value checks */

/* The kernel's ROUND_TO_RANGE: round to the nearest step inside [min, max]. */
static s64 dd_ctrl_round(const struct dd_ctrl_desc *d, s64 val)
{
	u64 step = d->step ? d->step : 1;
	u64 offset;

	if (d->max >= 0 && val >= d->max - (s64)(step / 2))
		val = d->max;
	else
		val += (s64)(step / 2);
	val = clamp_t(s64, val, d->min, d->max);
	offset = (u64)(val - d->min);
	offset = offset / step * step;
	return d->min + (s64)offset;
}

/* Generic check of one scalar element (may adjust it, like the kernel). */
static int dd_ctrl_check_elem(const struct dd_ctrl_desc *d, s64 *val)
{
	switch (d->type) {
	case V4L2_CTRL_TYPE_INTEGER:
	case V4L2_CTRL_TYPE_INTEGER64:
		*val = dd_ctrl_round(d, *val);
		return 0;
	case V4L2_CTRL_TYPE_BOOLEAN:
		*val = !!*val;
		return 0;
	case V4L2_CTRL_TYPE_MENU:
		if (*val < d->min || *val > d->max)
			return -ERANGE;
		if (*val >= 0 && *val < 64 && (d->menu_skip_mask & (1ULL << *val)))
			return -EINVAL;
		if (!d->menu || !d->menu[*val] || d->menu[*val][0] == '\0')
			return -EINVAL;
		return 0;
	case V4L2_CTRL_TYPE_BITMASK:
		*val &= d->max;
		return 0;
	case V4L2_CTRL_TYPE_BUTTON:
	case V4L2_CTRL_TYPE_CTRL_CLASS:
		*val = 0;
		return 0;
	default:
		return 0;
	}
}

/* A scalar: generic check, then the descriptor's own. */
static int dd_ctrl_check_scalar(const struct dd_ctrl_desc *d, s64 *val)
{
	int ret = dd_ctrl_check_elem(d, val);

	if (!ret && d->validate)
		ret = d->validate(val);
	return ret;
}

/* A payload (compound or array) of `elems` elements copied in: check each. */
static int dd_ctrl_check_payload(const struct dd_ctrl_desc *d, void *p, u32 elems)
{
	u32 i;
	int ret;

	for (i = 0; i < elems; i++) {
		if (d->type >= V4L2_CTRL_COMPOUND_TYPES) {
			if (!d->validate)
				continue;
			ret = d->validate((u8 *)p + (size_t)i * d->elem_size);
		} else if (d->type == V4L2_CTRL_TYPE_INTEGER64) {
			ret = dd_ctrl_check_scalar(d, &((s64 *)p)[i]);
		} else {
			s64 v = ((s32 *)p)[i];

			ret = dd_ctrl_check_scalar(d, &v);
			((s32 *)p)[i] = (s32)v;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* The EXT_CTRLS family */

struct dd_ext {
	struct v4l2_ext_controls *cs;
	struct v4l2_ext_control *ctrls;		/* local copy of cs->controls */
	struct dd_ctrl_val **vals;		/* the value of each index */
	u8 *stage;				/* TRY/SET: new payloads */
	size_t *stage_off;
	bool loaded;				/* ctrls holds the client's array */
};

static void dd_ext_free(struct dd_ext *x)
{
	dd_free(x->ctrls);
	dd_free(x->vals);
	dd_free(x->stage);
	dd_free(x->stage_off);
}

/* Copy the array in; -EFAULT/-ENOMEM. */
static int dd_ext_load(struct dd_ext *x, struct v4l2_ext_controls *cs)
{
	size_t n = cs->count;

	memset(x, 0, sizeof(*x));
	x->cs = cs;
	x->ctrls = dd_calloc(n, sizeof(*x->ctrls));
	x->vals = dd_calloc(n, sizeof(*x->vals));
	if (!x->ctrls || !x->vals)
		return -ENOMEM;
	if (dd_copy_from_client(x->ctrls, cs->controls, n * sizeof(*x->ctrls)))
		return -EFAULT;
	x->loaded = true;
	return 0;
}

/* Copy the array back (the kernel always does, errors included). */
static int dd_ext_store(struct dd_ext *x, int ret)
{
	if (x->loaded && dd_copy_to_client(x->cs->controls, x->ctrls,
					  (size_t)x->cs->count * sizeof(*x->ctrls)))
		return -EFAULT;
	return ret;
}

/* No controls: the named class must exist (any class for 0/DEF/REQUEST). */
static int dd_ext_class_check(const struct dd_ctrls *c, u32 which)
{
	if (which == V4L2_CTRL_WHICH_CUR_VAL || which == V4L2_CTRL_WHICH_DEF_VAL ||
	    which == V4L2_CTRL_WHICH_REQUEST_VAL)
		return 0;
	return dd_ctrls_find_const(c, which | 1) ? 0 : -EINVAL;
}

/*
 * The size of a dynamic array entry: whole elements; GET needs room for
 * the current count, TRY/SET carry 1 .. dims[0] elements.
 */
static int dd_ext_prepare_dyn(const struct dd_ctrl_val *v, struct v4l2_ext_control *e,
			      bool get)
{
	u32 elem = v->desc->elem_size;

	e->size = elem * (e->size / elem);
	if (get) {
		if (e->size < v->size) {
			e->size = v->size;
			return -ENOSPC;
		}
		e->size = v->size;
		return 0;
	}
	if (e->size > v->cap) {
		dd_dbg("ext ctrls: control %s: %u bytes > %u", v->desc->name, e->size, v->cap);
		e->size = v->cap;
		return -ENOSPC;
	}
	return e->size ? 0 : -EFAULT;
}

/* prepare_ext_ctrls(): ids, class and sizes.  Sets error_idx to the index. */
static int dd_ext_prepare(struct dd_ctrls *c, struct dd_ext *x, bool get)
{
	struct v4l2_ext_controls *cs = x->cs;
	u32 i;
	int ret;

	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x->ctrls[i];
		u32 id = e->id & V4L2_CTRL_ID_MASK;
		struct dd_ctrl_val *v;

		cs->error_idx = i;
		if (cs->which && cs->which != V4L2_CTRL_WHICH_DEF_VAL &&
		    cs->which != V4L2_CTRL_WHICH_REQUEST_VAL &&
		    V4L2_CTRL_ID2WHICH(id) != cs->which) {
			dd_dbg("ext ctrls: control 0x%x not of class 0x%x", id, cs->which);
			return -EINVAL;
		}
		if (id >= V4L2_CID_PRIVATE_BASE)
			return -EINVAL;
		v = dd_ctrls_find(c, id);
		if (!v) {
			dd_dbg("ext ctrls: unknown control 0x%x", id);
			return -EINVAL;
		}
		x->vals[i] = v;
		if (!dd_ctrl_is_ptr(v->desc))
			continue;
		if (dd_ctrl_is_dyn(v->desc)) {
			ret = dd_ext_prepare_dyn(v, e, get);
			if (ret)
				return ret;
			continue;
		}
		if (e->size < v->size) {
			dd_dbg("ext ctrls: control %s: size %u < %u", v->desc->name,
			       e->size, v->size);
			if (get) {
				e->size = v->size;
				return -ENOSPC;
			}
			return -EFAULT;
		}
		e->size = v->size;
	}
	return 0;
}

static int dd_ctrls_get_locked(struct dd_ctrls *c, struct dd_ext *x, bool def)
{
	struct v4l2_ext_controls *cs = x->cs;
	void *tmp = NULL;
	int ret;
	u32 i;

	ret = dd_ext_prepare(c, x, true);
	cs->error_idx = cs->count;
	if (ret)
		return ret;
	for (i = 0; i < cs->count; i++)
		if (x->vals[i]->desc->flags & V4L2_CTRL_FLAG_WRITE_ONLY)
			return -EACCES;
	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x->ctrls[i];
		struct dd_ctrl_val *v = x->vals[i];
		const void *src = v->p;

		cs->error_idx = i;
		if (def) {
			dd_free(tmp);
			tmp = dd_zalloc(v->cap);
			if (!tmp)
				return -ENOMEM;
			dd_ctrl_default(v->desc, tmp);
			src = tmp;
		}
		if (dd_ctrl_is_ptr(v->desc))
			ret = dd_copy_to_client(e->ptr, src, e->size);
		else if (v->desc->type == V4L2_CTRL_TYPE_INTEGER64)
			e->value64 = *(const s64 *)src;
		else
			e->value = *(const s32 *)src;
		if (ret)
			break;
	}
	dd_free(tmp);
	return ret;
}

int dd_ctrls_get(struct dd_ctrls *c, struct v4l2_ext_controls *cs)
{
	bool def = cs->which == V4L2_CTRL_WHICH_DEF_VAL;
	struct dd_ext x;
	int ret;

	if (cs->count > V4L2_CID_MAX_CTRLS)
		return -EINVAL;
	cs->error_idx = cs->count;
	cs->which = V4L2_CTRL_ID2WHICH(cs->which);
	if (!cs->count)
		return dd_ext_class_check(c, cs->which);
	ret = dd_ext_load(&x, cs);
	if (!ret)
		ret = dd_ctrls_get_locked(c, &x, def);
	ret = dd_ext_store(&x, ret);
	dd_ext_free(&x);
	return ret;
}

/* validate_ctrls(): access and the scalar values, in the client's array. */
static int dd_ext_validate_scalars(struct dd_ext *x)
{
	struct v4l2_ext_controls *cs = x->cs;
	u32 i;
	int ret;

	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x->ctrls[i];
		const struct dd_ctrl_desc *d = x->vals[i]->desc;
		s64 val;

		cs->error_idx = i;
		if (d->flags & V4L2_CTRL_FLAG_READ_ONLY) {
			dd_dbg("ext ctrls: control %s is read-only", d->name);
			return -EACCES;
		}
		if (dd_ctrl_is_ptr(d))
			continue;
		val = d->type == V4L2_CTRL_TYPE_INTEGER64 ? e->value64 : e->value;
		ret = dd_ctrl_check_scalar(d, &val);
		if (d->type == V4L2_CTRL_TYPE_INTEGER64)
			e->value64 = val;
		else
			e->value = (s32)val;
		if (ret) {
			dd_dbg("ext ctrls: control %s: value %lld refused (%d)", d->name,
			       (long long)val, ret);
			return ret;
		}
	}
	return 0;
}

/* Read and validate every payload into the staging area. */
static int dd_ext_stage_payloads(struct dd_ext *x)
{
	struct v4l2_ext_controls *cs = x->cs;
	size_t total = 0;
	u32 i;
	int ret;

	x->stage_off = dd_calloc(cs->count, sizeof(*x->stage_off));
	if (!x->stage_off)
		return -ENOMEM;
	for (i = 0; i < cs->count; i++) {
		x->stage_off[i] = total;
		if (dd_ctrl_is_ptr(x->vals[i]->desc))
			total += ALIGN((size_t)x->ctrls[i].size, (size_t)8);
	}
	if (total) {
		x->stage = dd_zalloc(total);
		if (!x->stage)
			return -ENOMEM;
	}
	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x->ctrls[i];
		struct dd_ctrl_val *v = x->vals[i];
		void *p;

		/* No stage when only scalars: NULL + 0 is undefined. */
		if (!dd_ctrl_is_ptr(v->desc))
			continue;
		p = x->stage + x->stage_off[i];
		cs->error_idx = i;
		/* e->size is the control's size, or a dynamic array's new one. */
		ret = dd_copy_from_client(p, e->ptr, e->size);
		if (!ret)
			ret = dd_ctrl_check_payload(v->desc, p, e->size / v->desc->elem_size);
		if (ret) {
			dd_dbg("ext ctrls: control %s refused (%d)", v->desc->name, ret);
			return ret;
		}
	}
	return 0;
}

static int dd_ctrls_try_set(struct dd_ctrls *c, struct v4l2_ext_controls *cs, bool set,
			    dd_ctrls_check_fn check, void *priv)
{
	struct dd_ext x;
	u32 i;
	int ret;

	if (cs->count > V4L2_CID_MAX_CTRLS)
		return -EINVAL;
	cs->error_idx = cs->count;
	if (cs->which == V4L2_CTRL_WHICH_DEF_VAL)
		return -EINVAL;
	cs->which = V4L2_CTRL_ID2WHICH(cs->which);
	if (!cs->count)
		return dd_ext_class_check(c, cs->which);
	ret = dd_ext_load(&x, cs);
	if (ret)
		goto out;
	ret = dd_ext_prepare(c, &x, false);
	if (!ret)
		ret = dd_ext_validate_scalars(&x);
	if (ret) {
		if (set)
			cs->error_idx = cs->count;
		goto out;
	}
	ret = dd_ext_stage_payloads(&x);
	if (ret)
		goto out;
	/* Everything checked: hand the (normalised) values back... */
	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x.ctrls[i];

		if (!dd_ctrl_is_ptr(x.vals[i]->desc))
			continue;
		cs->error_idx = i;
		ret = dd_copy_to_client(e->ptr, x.stage + x.stage_off[i], e->size);
		if (ret)
			goto out;
	}
	cs->error_idx = cs->count;
	if (!set)
		goto out;
	/* The caller may still refuse (nothing is changed yet)... */
	for (i = 0; check && i < cs->count; i++) {
		const struct dd_ctrl_val *v = x.vals[i];

		ret = check(priv, v->desc,
			    dd_ctrl_is_ptr(v->desc) ? x.stage + x.stage_off[i] : NULL);
		if (ret) {
			cs->error_idx = i;
			goto out;
		}
	}
	/* ...and commit them, in array order (a repeated id: the last wins). */
	for (i = 0; i < cs->count; i++) {
		struct v4l2_ext_control *e = &x.ctrls[i];
		struct dd_ctrl_val *v = x.vals[i];

		if (dd_ctrl_is_ptr(v->desc)) {
			memcpy(v->p, x.stage + x.stage_off[i], e->size);
			v->size = e->size;
		} else if (v->desc->type == V4L2_CTRL_TYPE_INTEGER64)
			*(s64 *)v->p = e->value64;
		else
			*(s32 *)v->p = e->value;
		v->set = true;
	}
out:
	ret = dd_ext_store(&x, ret);
	dd_ext_free(&x);
	return ret;
}

int dd_ctrls_try(struct dd_ctrls *c, struct v4l2_ext_controls *cs)
{
	return dd_ctrls_try_set(c, cs, false, NULL, NULL);
}

int dd_ctrls_set(struct dd_ctrls *c, struct v4l2_ext_controls *cs)
{
	return dd_ctrls_try_set(c, cs, true, NULL, NULL);
}

int dd_ctrls_set_checked(struct dd_ctrls *c, struct v4l2_ext_controls *cs,
			 dd_ctrls_check_fn check, void *priv)
{
	return dd_ctrls_try_set(c, cs, true, check, priv);
}

/* G/S_CTRL */

int dd_ctrls_g_ctrl(struct dd_ctrls *c, struct v4l2_control *ctrl)
{
	struct dd_ctrl_val *v = dd_ctrls_find(c, ctrl->id);

	if (!v || !dd_ctrl_is_int(v->desc))
		return -EINVAL;
	if (v->desc->flags & V4L2_CTRL_FLAG_WRITE_ONLY)
		return -EACCES;
	ctrl->value = *(s32 *)v->p;
	return 0;
}

int dd_ctrls_s_ctrl(struct dd_ctrls *c, struct v4l2_control *ctrl)
{
	struct dd_ctrl_val *v = dd_ctrls_find(c, ctrl->id);
	s64 val;
	int ret;

	if (!v || !dd_ctrl_is_int(v->desc))
		return -EINVAL;
	if (v->desc->flags & V4L2_CTRL_FLAG_READ_ONLY)
		return -EACCES;
	val = ctrl->value;
	ret = dd_ctrl_check_scalar(v->desc, &val);
	if (ret) {
		/* The kernel hands back the value as the checks left it. */
		ctrl->value = (s32)val;
		return ret;
	}
	*(s32 *)v->p = (s32)val;
	v->set = true;
	ctrl->value = *(s32 *)v->p;
	return 0;
}

/* Requests */

void dd_ctrls_apply(struct dd_ctrls *dst, const struct dd_ctrls *src)
{
	unsigned int i;

	for (i = 0; i < src->num; i++) {
		const struct dd_ctrl_val *s = &src->vals[i];
		struct dd_ctrl_val *d;

		if (!s->set)
			continue;
		d = dd_ctrls_find(dst, s->desc->id);
		if (!d || s->size > d->cap ||
		    (d->size != s->size && !dd_ctrl_is_dyn(d->desc)))
			continue;
		memcpy(d->p, s->p, s->size);
		d->size = s->size;
		d->set = true;
	}
}

u64 dd_ctrls_set_mask(const struct dd_ctrls *c)
{
	const struct dd_codec *codec = c->codec;
	u64 mask = 0;
	unsigned int i;

	if (!codec)
		return 0;
	for (i = 0; i < c->num; i++) {
		const struct dd_ctrl_val *v = &c->vals[i];
		ptrdiff_t idx = v->desc - codec->ctrls;

		if (v->set && idx >= 0 && idx < 64 && (unsigned int)idx < codec->num_ctrls)
			mask |= 1ull << idx;
	}
	return mask;
}

int dd_ctrls_check_required(const struct dd_ctrls *req, u64 *seen)
{
	u64 none = 0;

	if (!req->codec)
		return 0;
	return dd_codec_check_required(req->codec, dd_ctrls_set_mask(req), seen ? seen : &none);
}
