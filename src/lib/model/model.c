/* SPDX-License-Identifier: MIT */
/*
 * model.c — the model file: a linear model over hashed features, mapped
 * read-only into memory.
 *
 * Layout (little-endian, offsets in bytes):
 *
 *   0   "NISEMDL1"            magic and format version
 *   8   u32 feature_version   NISE_FEATURE_VERSION of the extractor
 *   12  u32 dim_bits          log2 of the number of weights
 *   16  f64 bias
 *   24  f64 platt_a, f64 platt_b   P(phish) = 1 / (1 + exp(a * margin + b))
 *   40  u64 meta_len          bytes of UTF-8 JSON after the weights
 *   48  u8[16] reserved (zero)
 *   64  f32 weights[1 << dim_bits]
 *   ..  meta (training set, options, cross-validated figures), not NUL-terminated
 *
 * Loading maps the file and validates every field and the exact size; it
 * copies nothing, so a 4 MiB model is ready in well under a millisecond
 * and shared by every process that maps it. A file that is not a model,
 * or a model of another feature extractor, is refused with a reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"

#define HEADER 64u

struct nise_model {
	void *map;
	size_t size;
	const float *w;
	uint32_t mask;
	double bias, a, b;
	char *meta;
};

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "model files are little-endian; add byte swapping for this target"
#endif

static void diagf(char *diag, size_t dn, const char *path, const char *why)
{
	if (diag && dn)
		snprintf(diag, dn, "%s: %s", path, why);
}

nise_rc nise_model_load(struct nise_model **out, const char *path, char *diag, size_t dn)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diagf(diag, dn, path, strerror(errno));
		return NISE_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		diagf(diag, dn, path, "not a regular file");
		return NISE_EIO;
	}
	size_t size = (size_t)st.st_size;
	if (size < HEADER) {
		close(fd);
		diagf(diag, dn, path, "too short for a nise model");
		return NISE_EPARSE;
	}
	void *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		diagf(diag, dn, path, strerror(errno));
		return NISE_EIO;
	}
	const unsigned char *p = map;
	uint32_t fver, bits;
	uint64_t meta_len;
	struct nise_model *m = calloc(1, sizeof(*m));
	const char *why = NULL;
	nise_rc rc = NISE_EPARSE;
	memcpy(&fver, p + 8, 4);
	memcpy(&bits, p + 12, 4);
	memcpy(&meta_len, p + 40, 8);
	if (!m) {
		why = "out of memory";
		rc = NISE_ENOMEM;
	} else if (memcmp(p, "NISEMDL1", 8) != 0) {
		why = "not a nise model (bad magic)";
	} else if (fver != NISE_FEATURE_VERSION) {
		why = "model was trained on another feature version; retrain (make model)";
	} else if (bits != NISE_FEATURE_BITS) {
		why = "model has another feature space size";
	} else if (meta_len > size || size - meta_len != HEADER + ((size_t)4 << bits)) {
		why = "size does not match the header (truncated?)";
	}
	if (why) {
		munmap(map, size);
		free(m);
		diagf(diag, dn, path, why);
		return rc;
	}
	m->map = map;
	m->size = size;
	m->w = (const float *)(p + HEADER);
	m->mask = (1u << bits) - 1;
	memcpy(&m->bias, p + 16, 8);
	memcpy(&m->a, p + 24, 8);
	memcpy(&m->b, p + 32, 8);
	if (!isfinite(m->bias) || !isfinite(m->a) || !isfinite(m->b)) {
		nise_model_free(m);
		diagf(diag, dn, path, "non-finite bias or calibration");
		return NISE_EPARSE;
	}
	m->meta = strndup((const char *)p + HEADER + ((size_t)4 << bits), (size_t)meta_len);
	*out = m;
	return NISE_OK;
}

void nise_model_free(struct nise_model *m)
{
	if (!m)
		return;
	if (m->map)
		munmap(m->map, m->size);
	free(m->meta);
	free(m);
}

double nise_model_margin(const struct nise_model *m, const struct nise_featvec *x)
{
	double s = 0;
	for (size_t i = 0; i < x->n; i++)
		s += m->w[x->v[i].idx & m->mask];
	return m->bias + s * x->value;
}

double nise_model_prob(const struct nise_model *m, double margin)
{
	return 1.0 / (1.0 + exp(m->a * margin + m->b));
}

float nise_model_weight(const struct nise_model *m, uint32_t idx)
{
	return m->w[idx & m->mask];
}

const char *nise_model_meta(const struct nise_model *m)
{
	return m->meta ? m->meta : "";
}

nise_rc nise_model_write(const char *path, const float *w, size_t nw, double bias, double platt_a,
                         double platt_b, const char *meta)
{
	if (nw != ((size_t)1 << NISE_FEATURE_BITS))
		return NISE_EINVAL;
	unsigned char h[HEADER];
	memset(h, 0, sizeof(h));
	uint32_t fver = NISE_FEATURE_VERSION, bits = NISE_FEATURE_BITS;
	uint64_t meta_len = meta ? strlen(meta) : 0;
	memcpy(h, "NISEMDL1", 8);
	memcpy(h + 8, &fver, 4);
	memcpy(h + 12, &bits, 4);
	memcpy(h + 16, &bias, 8);
	memcpy(h + 24, &platt_a, 8);
	memcpy(h + 32, &platt_b, 8);
	memcpy(h + 40, &meta_len, 8);
	char tmp[4096];
	int k = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (k < 0 || (size_t)k >= sizeof(tmp))
		return NISE_EINVAL;
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return NISE_EIO;
	bool ok = fwrite(h, 1, HEADER, f) == HEADER && fwrite(w, sizeof(float), nw, f) == nw &&
	          (!meta_len || fwrite(meta, 1, meta_len, f) == meta_len);
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return NISE_EIO;
	}
	return NISE_OK;
}
