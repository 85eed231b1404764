/*
 * fx_merkle.h - RFC 9162 (Certificate Transparency v2, section 2.1)
 * Merkle tree hashes over the custody log: the root for any size,
 * inclusion and consistency proofs, and their verification.
 *
 *   leaf hash  MTH({d}) = SHA-256(0x00 || d)
 *   node hash           = SHA-256(0x01 || left || right)
 *   empty tree          = SHA-256("")
 *
 * Leaves are given as their leaf hashes (32 bytes each), in log order.
 */
#ifndef FX_MERKLE_H
#define FX_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define FX_MERKLE_HASH 32
/* A proof for a tree of up to 2^64 leaves has at most 64 hashes. */
#define FX_MERKLE_MAX_PROOF 64

typedef uint8_t fx_mhash[FX_MERKLE_HASH];

void fx_merkle_leaf_hash(const void *data, size_t len, fx_mhash out);
void fx_merkle_node_hash(const fx_mhash left, const fx_mhash right, fx_mhash out);

/* Root of the first n leaves (n may be 0). */
void fx_merkle_root(const fx_mhash *leaves, uint64_t n, fx_mhash out);

/*
 * Streaming root: append leaves one at a time with O(log n) memory, read
 * the root of what has been appended at any point. _init/_release pair
 * (nothing to release; the struct lives on the stack).
 */
struct fx_merkle_acc {
	uint64_t size;
	fx_mhash stack[64]; /* stack[i]: root of a complete subtree of 2^i leaves */
};
void fx_merkle_acc_init(struct fx_merkle_acc *acc);
void fx_merkle_acc_append(struct fx_merkle_acc *acc, const fx_mhash leaf);
void fx_merkle_acc_root(const struct fx_merkle_acc *acc, fx_mhash out);

/* A subtree: the leaves [lo, hi). */
struct fx_mrange {
	uint64_t lo, hi;
};

/* Where RFC 9162 splits a tree of n >= 2 leaves: the largest power of two below n. */
uint64_t fx_merkle_split(uint64_t n);

/*
 * The subtrees whose roots make up the inclusion proof of leaf m in the
 * tree of n leaves, from the root down (a proof lists them from the leaves
 * up). Returns their count, or -1 when m >= n.
 */
int fx_merkle_inclusion_ranges(uint64_t m, uint64_t n,
			       struct fx_mrange sub[FX_MERKLE_MAX_PROOF]);
/* The same for the consistency proof from m to n leaves; -1 unless 0 < m <= n. */
int fx_merkle_consistency_ranges(uint64_t m, uint64_t n,
				 struct fx_mrange sub[FX_MERKLE_MAX_PROOF + 1]);

/*
 * Inclusion proof (RFC 9162 2.1.3.1) of leaf index m in the tree of the
 * first n leaves. Writes the hashes to proof and their count to *len.
 * Returns 0, or -1 when m >= n.
 */
int fx_merkle_inclusion_proof(const fx_mhash *leaves, uint64_t n, uint64_t m,
			      fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len);

/*
 * Consistency proof (RFC 9162 2.1.4.1) between the tree of the first m
 * leaves and the tree of the first n. Returns 0, or -1 unless 0 < m <= n.
 * (m == n gives an empty proof.)
 */
int fx_merkle_consistency_proof(const fx_mhash *leaves, uint64_t m, uint64_t n,
				fx_mhash proof[FX_MERKLE_MAX_PROOF], size_t *len);

/* RFC 9162 2.1.3.2: returns 0 when the proof places leaf at index in root. */
int fx_merkle_verify_inclusion(const fx_mhash leaf, uint64_t index, uint64_t size,
			       const fx_mhash *proof, size_t len, const fx_mhash root);

/* RFC 9162 2.1.4.2: returns 0 when root2 (size2) extends root1 (size1). */
int fx_merkle_verify_consistency(uint64_t size1, uint64_t size2,
				 const fx_mhash *proof, size_t len,
				 const fx_mhash root1, const fx_mhash root2);

#endif
