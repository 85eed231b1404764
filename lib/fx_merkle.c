/*
 * fx_merkle.c - RFC 9162 section 2.1 Merkle tree hashes, inclusion and
 * consistency proofs over an array of leaf hashes.
 *
 * Every subtree root is computed left to right with a stack of complete
 * subtrees (the same fold as struct fx_merkle_acc), so a root costs n - 1
 * node hashes and O(log n) memory, without recursion or allocation per
 * node.  A proof needs the roots of subtrees that together cover every
 * other leaf, so generating one costs about n hashes: inherent without
 * cached interior nodes.
 */
#include <string.h>

#include <openssl/evp.h>

#include "fx_err.h"
#include "fx_merkle.h"
#include "fx_hash.h"
#include "fx_banned.h"

/*
 * A digest context and a fetched SHA-256, reused across the many hashes
 * of one call: reusing them costs about a third of a one-shot EVP_Digest()
 * with EVP_sha256(), which looks the algorithm up again every time.
 */
struct hasher {
	EVP_MD_CTX *ctx;
	EVP_MD *md;
};

/* A subtree as a half-open range of leaf indexes, [lo, hi). */
static void hasher_init(struct hasher *h)
{
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx)
		fx_die("cannot initialise sha256 digest");
}

static void hasher_release(struct hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
}

/*
 * SHA-256(0x01 || l || r) into out; out may alias l or r (both are read
 * before out is written).  With h NULL, a one-shot digest.
 */
static void node(struct hasher *h, const uint8_t *l, const uint8_t *r,
		 uint8_t *out)
{
	uint8_t buf[1 + 2 * FX_MERKLE_HASH];
	unsigned int n;
	int ok;

	buf[0] = 0x01;
	memcpy(buf + 1, l, FX_MERKLE_HASH);
	memcpy(buf + 1 + FX_MERKLE_HASH, r, FX_MERKLE_HASH);
	if (h)
		ok = EVP_DigestInit_ex2(h->ctx, h->md, NULL) &&
		     EVP_DigestUpdate(h->ctx, buf, sizeof(buf)) &&
		     EVP_DigestFinal_ex(h->ctx, out, &n);
	else
		ok = EVP_Digest(buf, sizeof(buf), out, &n, EVP_sha256(), NULL);
	/* The void API has no way to report this; it cannot fail after init. */
	if (!ok)
		fx_die("sha256 digest failed");
}

static int same(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, FX_MERKLE_HASH) == 0;
}

static void empty_root(fx_mhash out)
{
	fx_sha256("", 0, out);
}

/* Largest power of two strictly below n (n >= 2), without overflow. */
uint64_t fx_merkle_split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

/*
 * Appending leaf i merges the complete subtrees whose sizes are the low
 * set bits of i, as in a binary counter: stack[j] is occupied exactly
 * when bit j of size is set.
 */
static void acc_push(struct hasher *h, struct fx_merkle_acc *acc,
		     const fx_mhash leaf)
{
	uint64_t s = acc->size;
	fx_mhash cur;
	unsigned i = 0;

	/* All 64 slots full: 2^64 - 1 leaves, which no log will reach. */
	if (s == UINT64_MAX)
		fx_die("merkle tree is full");
	memcpy(cur, leaf, FX_MERKLE_HASH);
	for (; s & 1; s >>= 1, i++)
		node(h, acc->stack[i], cur, cur);
	memcpy(acc->stack[i], cur, FX_MERKLE_HASH);
	acc->size++;
}

/*
 * RFC 9162 splits at the largest power of two below n, so the root of an
 * incomplete tree folds the complete subtrees from the smallest (rightmost)
 * up to the largest (leftmost).
 */
static void acc_fold(struct hasher *h, const struct fx_merkle_acc *acc,
		     fx_mhash out)
{
	uint64_t s = acc->size;
	fx_mhash cur;
	unsigned i = 0;

	if (s == 0) {
		empty_root(out);
		return;
	}
	while (!(s >> i & 1))
		i++;
	memcpy(cur, acc->stack[i], FX_MERKLE_HASH);
	for (i++; i < 64; i++)
		if (s >> i & 1)
			node(h, acc->stack[i], cur, cur);
	memcpy(out, cur, FX_MERKLE_HASH);
}

/* MTH(D[lo:hi]): hi - lo - 1 node hashes. */
static void range_root(struct hasher *h, const fx_mhash *leaves,
		       struct fx_mrange r, fx_mhash out)
{
	struct fx_merkle_acc acc;
	uint64_t i;

	if (r.hi - r.lo == 1) {
		memcpy(out, leaves[r.lo], FX_MERKLE_HASH);
		return;
	}
	fx_merkle_acc_init(&acc);
	for (i = r.lo; i < r.hi; i++)
		acc_push(h, &acc, leaves[i]);
	acc_fold(h, &acc, out);
}

void fx_merkle_leaf_hash(const void *data, size_t len, fx_mhash out)
{
	static const uint8_t zero = 0x00;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(ctx, &zero, 1) ||
	    (len && !EVP_DigestUpdate(ctx, data, len)) ||
	    !EVP_DigestFinal_ex(ctx, out, &n))
		fx_die("sha256 digest failed");
	EVP_MD_CTX_free(ctx);
}

void fx_merkle_node_hash(const fx_mhash left, const fx_mhash right,
			 fx_mhash out)
{
	node(NULL, left, right, out);
}

void fx_merkle_root(const fx_mhash *leaves, uint64_t n, fx_mhash out)
{
	struct hasher h;
	struct fx_mrange all = { 0, n };

	if (n == 0) {
		empty_root(out);
		return;
	}
	hasher_init(&h);
	range_root(&h, leaves, all, out);
	hasher_release(&h);
}

void fx_merkle_acc_init(struct fx_merkle_acc *acc)
{
	memset(acc, 0, sizeof(*acc));
}

/*
 * One-shot digests here: an append costs one node hash on average, too
 * few to pay for fetching SHA-256 into a context of its own.
 */
void fx_merkle_acc_append(struct fx_merkle_acc *acc, const fx_mhash leaf)
{
	acc_push(NULL, acc, leaf);
}

void fx_merkle_acc_root(const struct fx_merkle_acc *acc, fx_mhash out)
{
	acc_fold(NULL, acc, out);
}

/*
 * Writes the roots of the ranges sub[0..count) to proof in reverse order:
 * both proofs are found from the root down but listed from the leaves up.
 */
static void fill_reversed(const fx_mhash *leaves, const struct fx_mrange *sub,
			  size_t count, fx_mhash *proof)
{
	struct hasher h;
	size_t i;

	if (count == 0)
		return;
	hasher_init(&h);
	for (i = 0; i < count; i++)
		range_root(&h, leaves, sub[count - 1 - i], proof[i]);
	hasher_release(&h);
}

/*
 * PATH(m, D[n]) of RFC 9162 2.1.3.1, unrolled: at each level the sibling
 * of the half holding m joins the proof, and the walk goes on in that
 * half.
 */
int fx_merkle_inclusion_ranges(uint64_t m, uint64_t n,
			       struct fx_mrange sub[FX_MERKLE_MAX_PROOF])
{
	uint64_t lo = 0, size = n, k;
	int count = 0;

	if (m >= n)
		return -1;
	while (size > 1) {
		k = fx_merkle_split(size);
		if (m - lo < k) {
			sub[count].lo = lo + k;
			sub[count].hi = lo + size;
			size = k;
		} else {
			sub[count].lo = lo;
			sub[count].hi = lo + k;
			lo += k;
			size -= k;
		}
		count++;
	}
	return count;
}

int fx_merkle_inclusion_proof(const fx_mhash *leaves, uint64_t n, uint64_t m,
			      fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len)
{
	struct fx_mrange sub[FX_MERKLE_MAX_PROOF];
	int count = fx_merkle_inclusion_ranges(m, n, sub);

	*len = 0;
	if (count < 0)
		return -1;
	fill_reversed(leaves, sub, (size_t)count, proof);
	*len = (size_t)count;
	return 0;
}

/*
 * SUBPROOF(m, D[n], true) of RFC 9162 2.1.4.1, unrolled: the walk follows
 * the end of the old tree down, and each level adds the root of the half
 * it does not enter.  It stops at a subtree that ends where the old tree
 * ends; that subtree's root comes first in the proof, unless it is the
 * whole old tree (the verifier has that root).
 */
int fx_merkle_consistency_ranges(uint64_t m, uint64_t n,
				 struct fx_mrange sub[FX_MERKLE_MAX_PROOF + 1])
{
	uint64_t lo = 0, size = n, k;
	int count = 0, whole = 1;

	if (m == 0 || m > n)
		return -1;
	while (lo + size > m) {
		k = fx_merkle_split(size);
		if (m - lo <= k) {
			sub[count].lo = lo + k;
			sub[count].hi = lo + size;
			size = k;
		} else {
			sub[count].lo = lo;
			sub[count].hi = lo + k;
			lo += k;
			size -= k;
			whole = 0;
		}
		count++;
	}
	if (!whole) {
		sub[count].lo = lo;
		sub[count].hi = lo + size;
		count++;
	}
	/* Only above 2^63 leaves, far beyond any log. */
	return count > FX_MERKLE_MAX_PROOF ? -1 : count;
}

int fx_merkle_consistency_proof(const fx_mhash *leaves, uint64_t m,
				uint64_t n, fx_mhash proof[FX_MERKLE_MAX_PROOF],
				size_t *len)
{
	/* Up to 64 levels and the stopping subtree: one more than a proof. */
	struct fx_mrange sub[FX_MERKLE_MAX_PROOF + 1];
	int count = fx_merkle_consistency_ranges(m, n, sub);

	*len = 0;
	if (count < 0)
		return -1;
	fill_reversed(leaves, sub, (size_t)count, proof);
	*len = (size_t)count;
	return 0;
}

/* RFC 9162 2.1.3.2, step by step. */
int fx_merkle_verify_inclusion(const fx_mhash leaf, uint64_t index,
			       uint64_t size, const fx_mhash *proof, size_t len,
			       const fx_mhash root)
{
	struct hasher h;
	uint64_t fn, sn;
	fx_mhash r;
	size_t i;
	int ok = 1;

	if (index >= size)
		return -1;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, FX_MERKLE_HASH);
	hasher_init(&h);
	for (i = 0; i < len; i++) {
		if (sn == 0) {
			ok = 0;
			break;
		}
		if ((fn & 1) || fn == sn) {
			node(&h, proof[i], r, r);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			node(&h, r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	hasher_release(&h);
	return ok && sn == 0 && same(r, root) ? 0 : -1;
}

/*
 * RFC 9162 2.1.4.2, which assumes 0 < size1 < size2; the edges follow the
 * proof generator.  Equal sizes need an empty proof and equal roots.  The
 * empty tree is a prefix of every tree, but root1 must then really be the
 * empty root: a caller passing a wrong first tree head should hear so.
 */
int fx_merkle_verify_consistency(uint64_t size1, uint64_t size2,
				 const fx_mhash *proof, size_t len,
				 const fx_mhash root1, const fx_mhash root2)
{
	const uint8_t *first;
	struct hasher h;
	uint64_t fn, sn;
	fx_mhash fr, sr, empty;
	size_t i = 0;
	int ok = 1;

	if (size1 > size2)
		return -1;
	if (size1 == 0) {
		empty_root(empty);
		if (len != 0 || !same(root1, empty))
			return -1;
		return size2 > 0 || same(root1, root2) ? 0 : -1;
	}
	if (size1 == size2)
		return len == 0 && same(root1, root2) ? 0 : -1;
	if (len == 0)
		return -1;
	/* The proof leaves out the old root when it is a complete subtree. */
	if ((size1 & (size1 - 1)) == 0) {
		first = root1;
	} else {
		first = proof[0];
		i = 1;
	}
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, first, FX_MERKLE_HASH);
	memcpy(sr, first, FX_MERKLE_HASH);
	hasher_init(&h);
	for (; i < len; i++) {
		if (sn == 0) {
			ok = 0;
			break;
		}
		if ((fn & 1) || fn == sn) {
			node(&h, proof[i], fr, fr);
			node(&h, proof[i], sr, sr);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			node(&h, sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	hasher_release(&h);
	return ok && sn == 0 && same(fr, root1) && same(sr, root2) ? 0 : -1;
}
