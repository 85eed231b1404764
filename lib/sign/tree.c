/*
 * tree.c - RFC 9162 proofs over the custody log without reading it all.
 *
 * The roots of the complete 256-entry blocks (level 8 of the tree, the
 * "tiles" a checkpoint stores, as C2SP tlog-tiles keeps level-1 tiles)
 * stand for their leaves, so the root of any subtree costs one node hash
 * per block it spans plus at most two blocks of leaves read from the
 * case: a proof in a log of a million entries takes a few thousand
 * hashes instead of a million.
 */
#include <stdlib.h>
#include <string.h>

#include "sign_int.h"
#include "fx_err.h"
#include "fx_banned.h"

#define CHUNK (256 * TREE_BLOCK) /* leaves read at once while building */

void tree_init(struct tree *t, struct fx_case *c, const fx_mhash *leaves, uint64_t size)
{
	memset(t, 0, sizeof(*t));
	t->c = c;
	t->leaves = leaves;
	t->size = size;
	t->cached = UINT64_MAX;
}

void tree_release(struct tree *t)
{
	free(t->blocks);
	t->blocks = NULL;
}

static int read_leaves(struct tree *t, uint64_t from, uint64_t n, fx_mhash *out)
{
	if (t->leaves) {
		memcpy(out, t->leaves + from, n * sizeof(fx_mhash));
		return 0;
	}
	return fx_case_leaf_range(t->c, from, n, out);
}

int tree_build(struct tree *t, const uint8_t *tiles, uint64_t n)
{
	uint64_t j, k, want = t->size / TREE_BLOCK, from, count;
	fx_mhash *buf;

	free(t->blocks);
	t->nblocks = want;
	t->blocks = fx_xmalloc((want ? want : 1) * sizeof(fx_mhash));
	if (n > want)
		n = want;
	if (n)
		memcpy(t->blocks, tiles, n * sizeof(fx_mhash));
	buf = fx_xmalloc(CHUNK * sizeof(fx_mhash));
	for (j = n; j < want; j += count / TREE_BLOCK) {
		from = j * TREE_BLOCK;
		count = (want - j) * TREE_BLOCK;
		if (count > CHUNK)
			count = CHUNK;
		if (read_leaves(t, from, count, buf) < 0) {
			free(buf);
			return -1;
		}
		for (k = 0; k < count / TREE_BLOCK; k++)
			fx_merkle_root(buf + k * TREE_BLOCK, TREE_BLOCK, t->blocks[j + k]);
	}
	free(buf);
	return 0;
}

/* MTH(D[lo:hi]), 0 <= lo < hi <= size. */
static int range_root(struct tree *t, uint64_t lo, uint64_t hi, fx_mhash out)
{
	uint64_t blk = lo / TREE_BLOCK, n = hi - lo, k, have;
	fx_mhash l, r;

	if (lo % TREE_BLOCK == 0 && n == TREE_BLOCK && blk < t->nblocks) {
		memcpy(out, t->blocks[blk], sizeof(fx_mhash));
		return 0;
	}
	if ((hi - 1) / TREE_BLOCK == blk) {
		/* Inside one block: from its leaves, read once and kept. */
		if (t->cached != blk) {
			have = t->size - blk * TREE_BLOCK;
			if (have > TREE_BLOCK)
				have = TREE_BLOCK;
			if (read_leaves(t, blk * TREE_BLOCK, have, t->cache) < 0)
				return -1;
			t->cached = blk;
		}
		fx_merkle_root(t->cache + (lo - blk * TREE_BLOCK), n, out);
		return 0;
	}
	k = fx_merkle_split(n);
	if (range_root(t, lo, lo + k, l) < 0 || range_root(t, lo + k, hi, r) < 0)
		return -1;
	fx_merkle_node_hash(l, r, out);
	return 0;
}

int tree_root(struct tree *t, uint64_t size, fx_mhash root)
{
	if (size > t->size)
		return fx_error("internal: a root of %llu entries from a tree of %llu",
				(unsigned long long)size, (unsigned long long)t->size);
	if (size == 0) {
		fx_merkle_root(NULL, 0, root);
		return 0;
	}
	return range_root(t, 0, size, root);
}

static int fill(struct tree *t, const struct fx_mrange *sub, size_t count, fx_mhash *proof)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (range_root(t, sub[count - 1 - i].lo, sub[count - 1 - i].hi, proof[i]) < 0)
			return -1;
	return 0;
}

/* fx_merkle_inclusion_proof() over blocks. */
int tree_inclusion(struct tree *t, uint64_t m, uint64_t n, fx_mhash proof[FX_MERKLE_MAX_PROOF],
		   size_t *len)
{
	struct fx_mrange sub[FX_MERKLE_MAX_PROOF];
	int count;

	*len = 0;
	if (n > t->size || (count = fx_merkle_inclusion_ranges(m, n, sub)) < 0)
		return fx_error("entry %llu is not in a tree of %llu entries",
				(unsigned long long)m, (unsigned long long)n);
	if (fill(t, sub, (size_t)count, proof) < 0)
		return -1;
	*len = (size_t)count;
	return 0;
}

/* fx_merkle_consistency_proof() over blocks. */
int tree_consistency(struct tree *t, uint64_t m, uint64_t n,
		     fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len)
{
	struct fx_mrange sub[FX_MERKLE_MAX_PROOF + 1];
	int count;

	*len = 0;
	if (n > t->size || (count = fx_merkle_consistency_ranges(m, n, sub)) < 0)
		return fx_error("no consistency proof from %llu to %llu entries",
				(unsigned long long)m, (unsigned long long)n);
	if (fill(t, sub, (size_t)count, proof) < 0)
		return -1;
	*len = (size_t)count;
	return 0;
}
