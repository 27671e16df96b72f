/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dd_h264_dpb.h - H.264 decoded picture buffer model for the stateless
 * client: picture order count (8.2.1), reference marking (8.2.5, incl. frame
 * num gaps and MMCO 1..6), and output order through the bumping process
 * (C.4.4, C.4.5.3).  Knows nothing about V4L2 buffers beyond an opaque
 * timestamp and a caller cookie per stored frame.
 */
#ifndef DD_H264_DPB_H
#define DD_H264_DPB_H

#include <stdbool.h>
#include <stdint.h>

#define DD_DPB_MAX_FRAMES	16
#define DD_DPB_MAX_MMCO		10

#define DD_FIELD_TOP		1
#define DD_FIELD_BOTTOM		2
#define DD_FIELD_FRAME		3

enum dd_ref {
	DD_REF_NONE = 0,
	DD_REF_SHORT,
	DD_REF_LONG,
};

struct dd_mmco {
	uint8_t op;
	uint32_t difference_of_pic_nums_minus1;
	uint32_t long_term_pic_num;
	uint32_t long_term_frame_idx;
	uint32_t max_long_term_frame_idx_plus1;
};

/* Sequence values the DPB model needs (copied from the active SPS). */
struct dd_dpb_seq {
	uint32_t max_frame_num;
	uint8_t poc_type;
	uint32_t max_poc_lsb;
	bool delta_pic_order_always_zero;
	int32_t offset_for_non_ref_pic;
	int32_t offset_for_top_to_bottom_field;
	uint8_t num_ref_frames_in_poc_cycle;
	int32_t offset_for_ref_frame[255];
	uint32_t max_num_ref_frames;
	bool gaps_allowed;
	unsigned int dpb_size;		/* frame stores, 1..16 */
	int num_reorder_frames;		/* -1 when the VUI does not say */
};

/* Values of the first slice header of a picture that drive the model. */
struct dd_dpb_pic_info {
	bool idr;
	uint8_t nal_ref_idc;
	uint16_t frame_num;
	uint8_t structure;		/* DD_FIELD_* */
	uint16_t poc_lsb;
	int32_t delta_poc_bottom;
	int32_t delta_poc[2];
	bool no_output_of_prior_pics;
	bool long_term_reference_flag;
	bool adaptive_marking;
	unsigned int n_mmco;
	struct dd_mmco mmco[DD_DPB_MAX_MMCO];
};

/* One frame store: a frame, a complementary field pair or a single field. */
struct dd_dpb_frame {
	bool used;
	bool non_existing;
	bool coded_as_fields;
	uint8_t first_field;		/* DD_FIELD_TOP/BOTTOM decoded first, or FRAME */
	bool needed_for_output;
	uint8_t fields;			/* DD_FIELD_* bits decoded so far */
	uint8_t ref[2];			/* enum dd_ref per field: [0] top, [1] bottom */
	uint16_t frame_num;
	int32_t frame_num_wrap;
	uint32_t long_term_frame_idx;
	int32_t poc[2];			/* top, bottom */
	uint64_t ts;			/* timestamp of the capture buffer */
	unsigned int decode_index;	/* frame count in decode order */
	void *cookie;			/* caller's per-frame state */
};

/* One DPB entry as the current picture's decode parameters need it. */
struct dd_dpb_ref {
	uint64_t ts;
	uint32_t pic_num;
	uint16_t frame_num;
	uint8_t fields;
	bool long_term;
	bool field_coded;
	int32_t top_poc;
	int32_t bottom_poc;
};

/* Output callback: one frame leaves the DPB in display order. */
typedef int (*dd_dpb_output_fn)(void *opaque, struct dd_dpb_frame *frame);
/* Release callback: a frame store is emptied (frame neither ref nor output). */
typedef void (*dd_dpb_release_fn)(void *opaque, struct dd_dpb_frame *frame);

struct dd_dpb {
	struct dd_dpb_seq seq;
	struct dd_dpb_frame frames[DD_DPB_MAX_FRAMES];
	struct dd_dpb_frame pending;	/* new picture until it is stored */
	struct dd_dpb_frame *cur;	/* &pending, or the first field's store */
	uint8_t cur_structure;
	bool cur_second_field;
	int32_t cur_poc[2];
	uint32_t max_long_term_frame_idx;	/* UINT32_MAX: none */

	/* POC state (8.2.1) */
	int32_t prev_poc_msb;
	int32_t prev_poc_lsb;
	int32_t prev_frame_num_offset;
	uint16_t prev_frame_num;
	uint16_t prev_ref_frame_num;
	bool prev_has_mmco5;
	bool prev_ref_has_mmco5;
	bool prev_ref_bottom_field;
	int32_t prev_ref_top_poc;
	int32_t frame_num_offset;
	int32_t poc_msb;
	bool started;
	unsigned int decode_count;

	/* Last picture was a first field still waiting for its partner. */
	struct dd_dpb_frame *open_field;
	uint8_t open_field_parity;
	bool open_field_ref;

	dd_dpb_output_fn output;
	dd_dpb_release_fn release;
	void *opaque;
	/* Called for each frame num gap frame; returns its timestamp. */
	uint64_t (*gap_ts)(void *opaque);
};

void dd_dpb_init(struct dd_dpb *dpb, dd_dpb_output_fn output, dd_dpb_release_fn release,
		 uint64_t (*gap_ts)(void *opaque), void *opaque);
void dd_dpb_set_seq(struct dd_dpb *dpb, const struct dd_dpb_seq *seq);

/*
 * Start a picture: handles IDR flushing, frame num gaps and POC, and picks
 * its frame store (a new one, or the first field's for a second field).
 * Returns 0 or a negative errno (output callback failures propagate).
 * Afterwards dpb->cur is the store of the picture: for a new frame the
 * caller sets cur->ts and cur->cookie; a second field shares the first's.
 */
int dd_dpb_begin(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi);
/* Whether the picture begun last is the second field of a pair. */
static inline bool dd_dpb_is_second_field(const struct dd_dpb *dpb)
{
	return dpb->cur_second_field;
}
/* Fill refs[] with the reference frames for the current picture. */
unsigned int dd_dpb_refs(const struct dd_dpb *dpb, struct dd_dpb_ref *refs);
/* Finish the picture: marking, storage, bumping.  Returns 0 or -errno. */
int dd_dpb_end(struct dd_dpb *dpb, const struct dd_dpb_pic_info *pi);
/* Output everything left (end of stream). */
int dd_dpb_flush(struct dd_dpb *dpb);

/* Level-derived DPB size (A.3.1 MaxDpbMbs), clamped to 1..16. */
unsigned int dd_dpb_size_for_level(unsigned int level_idc, bool constraint_set3,
				   unsigned int width_mbs, unsigned int height_mbs);

#endif
