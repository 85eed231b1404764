/*
 * test_merkle.c - RFC 9162 Merkle trees: the shared reference vectors,
 * the accumulator against the array root, every proof of every small tree
 * against a textbook recursive implementation, tampered proofs, and a
 * 1,000,000-leaf tree.
 */
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"

/*
 * Reference data of RFC 6962 (same hashing as RFC 9162 2.1), as used by
 * Certificate Transparency, copied from github.com/transparency-dev/merkle:
 * testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and
 * proof/verify_test.go (inclusionProofs, consistencyProofs; their leaf
 * numbers are 1-based, converted to 0-based indexes here).  The node-level
 * proofs further down are the node IDs of proof/proof_test.go
 * (TestInclusion, TestConsistency) resolved through NodeHashes.
 */
static const char *const leaf_inputs[8] = {
	"",
	"00",
	"10",
	"2021",
	"3031",
	"40414243",
	"5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* nodes[level][index]: complete subtrees of the 8-leaf tree. */
static const char *const nodes[4][8] = {
	{ "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	  "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	  "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	  "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	  "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	  "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1" },
	{ "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	  "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0" },
	{ "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" },
	{ "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" },
};

/* roots[n]: the root of the first n leaves. */
static const char *const roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* For an inclusion proof a is the leaf index and b the tree size. */
struct hex_vector {
	uint64_t a, b;
	size_t len;
	const char *proof[3];
};

static const struct hex_vector inclusion_vectors[] = {
	{ 0, 1, 0, { NULL } },
	{ 0, 8, 3,
	  { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" }
	},
	{ 5, 8, 3,
	  { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }
	},
	{ 2, 3, 1,
	  { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" }
	},
	{ 1, 5, 3,
	  { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" }
	},
};

/* For a consistency proof a and b are the two tree sizes. */
static const struct hex_vector consistency_vectors[] = {
	{ 1, 1, 0, { NULL } },
	{ 1, 8, 3,
	  { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" }
	},
	{ 6, 8, 3,
	  { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }
	},
	{ 2, 5, 2,
	  { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" }
	},
	{ 6, 7, 3,
	  { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }
	},
};

/*
 * A node as 10 * level + index into nodes[][]; L7 is the root of leaves
 * 4..6, HASH(i || j) in proof_test.go's picture, not stored in NodeHashes.
 */
#define L7 99

struct node_vector {
	uint64_t a, b;
	size_t len;
	int node[4];
};

static const struct node_vector inclusion_nodes[] = {
	{ 0, 2, 1, { 1 } },
	{ 1, 2, 1, { 0 } },
	{ 1, 3, 2, { 0, 2 } },
	{ 0, 7, 3, { 1, 11, L7 } },
	{ 1, 7, 3, { 0, 11, L7 } },
	{ 2, 7, 3, { 3, 10, L7 } },
	{ 3, 7, 3, { 2, 10, L7 } },
	{ 4, 7, 3, { 5, 6, 20 } },
	{ 5, 7, 3, { 4, 6, 20 } },
	{ 6, 7, 2, { 12, 20 } },
	{ 2, 4, 2, { 3, 10 } },
	{ 3, 5, 3, { 2, 10, 4 } },
	{ 3, 6, 3, { 2, 10, 12 } },
	{ 4, 6, 2, { 5, 20 } },
};

static const struct node_vector consistency_nodes[] = {
	{ 1, 2, 1, { 1 } },
	{ 1, 4, 2, { 1, 11 } },
	{ 1, 6, 3, { 1, 11, 12 } },
	{ 2, 3, 1, { 2 } },
	{ 2, 8, 2, { 11, 21 } },
	{ 3, 7, 4, { 2, 3, 10, L7 } },
	{ 4, 7, 1, { L7 } },
	{ 5, 7, 4, { 4, 5, 6, 20 } },
	{ 6, 7, 3, { 12, 6, 20 } },
	{ 7, 8, 4, { 6, 7, 12, 20 } },
	{ 2, 4, 1, { 11 } },
	{ 3, 5, 4, { 2, 3, 10, 4 } },
	{ 3, 6, 4, { 2, 3, 10, 12 } },
	{ 4, 6, 1, { 12 } },
	{ 1, 7, 3, { 1, 11, L7 } },
};

#define NVEC(a) (sizeof(a) / sizeof((a)[0]))

static void unhex32(const char *hex, fx_mhash out)
{
	CHECK(fx_unhex(hex, out, FX_MERKLE_HASH) == 0);
}

static int eq_hex(const fx_mhash h, const char *hex)
{
	fx_mhash want;

	unhex32(hex, want);
	return memcmp(h, want, FX_MERKLE_HASH) == 0;
}

static int eq(const fx_mhash a, const fx_mhash b)
{
	return memcmp(a, b, FX_MERKLE_HASH) == 0;
}

/* The leaf hashes of the 8 reference leaves. */
static void reference_leaves(fx_mhash leaves[8])
{
	uint8_t data[16];
	size_t i, len;

	for (i = 0; i < 8; i++) {
		len = strlen(leaf_inputs[i]) / 2;
		CHECK(fx_unhex(leaf_inputs[i], data, len) == 0);
		fx_merkle_leaf_hash(data, len, leaves[i]);
	}
}

static void node_of(int id, fx_mhash out)
{
	fx_mhash i, j;

	if (id == L7) {
		unhex32(nodes[1][2], i);
		unhex32(nodes[0][6], j);
		fx_merkle_node_hash(i, j, out);
		return;
	}
	unhex32(nodes[id / 10][id % 10], out);
}

/*
 * A textbook transcription of RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1, the
 * recursion exactly as written, to check the iterative library code on
 * small trees.
 */
static uint64_t ref_split(uint64_t n)
{
	uint64_t k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

static void ref_mth(const fx_mhash *d, uint64_t n, fx_mhash out)
{
	fx_mhash l, r;
	uint64_t k;

	if (n == 0) {
		fx_sha256("", 0, out);
	} else if (n == 1) {
		memcpy(out, d[0], FX_MERKLE_HASH);
	} else {
		k = ref_split(n);
		ref_mth(d, k, l);
		ref_mth(d + k, n - k, r);
		fx_merkle_node_hash(l, r, out);
	}
}

static void ref_path(const fx_mhash *d, uint64_t n, uint64_t m,
		     fx_mhash *proof, size_t *len)
{
	uint64_t k;

	if (n <= 1)
		return;
	k = ref_split(n);
	if (m < k) {
		ref_path(d, k, m, proof, len);
		ref_mth(d + k, n - k, proof[(*len)++]);
	} else {
		ref_path(d + k, n - k, m - k, proof, len);
		ref_mth(d, k, proof[(*len)++]);
	}
}

static void ref_subproof(const fx_mhash *d, uint64_t n, uint64_t m, int b,
			 fx_mhash *proof, size_t *len)
{
	uint64_t k;

	if (m == n) {
		if (!b)
			ref_mth(d, n, proof[(*len)++]);
		return;
	}
	k = ref_split(n);
	if (m <= k) {
		ref_subproof(d, k, m, b, proof, len);
		ref_mth(d + k, n - k, proof[(*len)++]);
	} else {
		ref_subproof(d + k, n - k, m - k, 0, proof, len);
		ref_mth(d, k, proof[(*len)++]);
	}
}

/* Distinct leaves for generated trees. */
static void make_leaves(fx_mhash *leaves, size_t n)
{
	uint8_t b;
	size_t i;

	for (i = 0; i < n; i++) {
		b = (uint8_t)i;
		fx_merkle_leaf_hash(&b, 1, leaves[i]);
	}
}

/*
 * Flips one bit in each hash of the proof in turn and counts the tampered
 * proofs that still verify: inclusion when root2 is NULL, else
 * consistency.
 */
static int flips_accepted(fx_mhash *proof, size_t len, const fx_mhash leaf,
			  uint64_t a, uint64_t b, const fx_mhash root,
			  const fx_mhash root2)
{
	size_t i, bit;
	int accepted = 0;

	for (i = 0; i < len; i++) {
		bit = (i * 37 + a * 11 + b) % (8 * FX_MERKLE_HASH);
		proof[i][bit / 8] ^= (uint8_t)(1u << bit % 8);
		if (root2 ? fx_merkle_verify_consistency(a, b, proof, len,
							 root, root2) == 0 :
			    fx_merkle_verify_inclusion(leaf, a, b, proof, len,
						       root) == 0)
			accepted++;
		proof[i][bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	return accepted;
}

FX_TEST(test_merkle_reference_hashes)
{
	fx_mhash leaves[8], l, r, h;
	int level, i;

	reference_leaves(leaves);
	for (i = 0; i < 8; i++)
		CHECK(eq_hex(leaves[i], nodes[0][i]));
	for (level = 1; level < 4; level++)
		for (i = 0; i < 8 >> level; i++) {
			unhex32(nodes[level - 1][2 * i], l);
			unhex32(nodes[level - 1][2 * i + 1], r);
			fx_merkle_node_hash(l, r, h);
			CHECK(eq_hex(h, nodes[level][i]));
		}
	/* out may alias an input */
	unhex32(nodes[0][0], l);
	unhex32(nodes[0][1], r);
	fx_merkle_node_hash(l, r, r);
	CHECK(eq_hex(r, nodes[1][0]));
}

FX_TEST(test_merkle_reference_roots)
{
	struct fx_merkle_acc acc;
	fx_mhash leaves[8], root;
	uint64_t n;

	reference_leaves(leaves);
	fx_merkle_root(NULL, 0, root);
	CHECK(eq_hex(root, roots[0]));
	fx_merkle_acc_init(&acc);
	fx_merkle_acc_root(&acc, root);
	CHECK(eq_hex(root, roots[0]));
	for (n = 1; n <= 8; n++) {
		fx_merkle_root(leaves, n, root);
		CHECK(eq_hex(root, roots[n]));
		fx_merkle_acc_append(&acc, leaves[n - 1]);
		CHECK_INT(acc.size, n);
		fx_merkle_acc_root(&acc, root);
		CHECK(eq_hex(root, roots[n]));
	}
}

FX_TEST(test_merkle_reference_inclusion)
{
	fx_mhash leaves[8], proof[FX_MERKLE_MAX_PROOF], root;
	const struct hex_vector *v;
	size_t i, j, len;

	reference_leaves(leaves);
	for (i = 0; i < NVEC(inclusion_vectors); i++) {
		v = &inclusion_vectors[i];
		CHECK(fx_merkle_inclusion_proof(leaves, v->b, v->a, proof,
						&len) == 0);
		CHECK_INT(len, v->len);
		for (j = 0; j < len && j < v->len; j++)
			CHECK(eq_hex(proof[j], v->proof[j]));
		unhex32(roots[v->b], root);
		CHECK(fx_merkle_verify_inclusion(leaves[v->a], v->a, v->b,
						 proof, len, root) == 0);
	}
}

FX_TEST(test_merkle_reference_consistency)
{
	fx_mhash leaves[8], proof[FX_MERKLE_MAX_PROOF], root1, root2;
	const struct hex_vector *v;
	size_t i, j, len;

	reference_leaves(leaves);
	for (i = 0; i < NVEC(consistency_vectors); i++) {
		v = &consistency_vectors[i];
		CHECK(fx_merkle_consistency_proof(leaves, v->a, v->b, proof,
						  &len) == 0);
		CHECK_INT(len, v->len);
		for (j = 0; j < len && j < v->len; j++)
			CHECK(eq_hex(proof[j], v->proof[j]));
		unhex32(roots[v->a], root1);
		unhex32(roots[v->b], root2);
		CHECK(fx_merkle_verify_consistency(v->a, v->b, proof, len,
						   root1, root2) == 0);
	}
}

FX_TEST(test_merkle_reference_node_proofs)
{
	fx_mhash leaves[8], proof[FX_MERKLE_MAX_PROOF], want, r1, r2;
	const struct node_vector *v;
	size_t i, j, len;

	reference_leaves(leaves);
	for (i = 0; i < NVEC(inclusion_nodes); i++) {
		v = &inclusion_nodes[i];
		CHECK(fx_merkle_inclusion_proof(leaves, v->b, v->a, proof,
						&len) == 0);
		CHECK_INT(len, v->len);
		for (j = 0; j < len && j < v->len; j++) {
			node_of(v->node[j], want);
			CHECK(eq(proof[j], want));
		}
		unhex32(roots[v->b], r2);
		CHECK(fx_merkle_verify_inclusion(leaves[v->a], v->a, v->b,
						 proof, len, r2) == 0);
	}
	for (i = 0; i < NVEC(consistency_nodes); i++) {
		v = &consistency_nodes[i];
		CHECK(fx_merkle_consistency_proof(leaves, v->a, v->b, proof,
						  &len) == 0);
		CHECK_INT(len, v->len);
		for (j = 0; j < len && j < v->len; j++) {
			node_of(v->node[j], want);
			CHECK(eq(proof[j], want));
		}
		unhex32(roots[v->a], r1);
		unhex32(roots[v->b], r2);
		CHECK(fx_merkle_verify_consistency(v->a, v->b, proof, len, r1,
						   r2) == 0);
	}
}

/* The probes of transparency-dev/merkle's corruptInclusionProof(). */
FX_TEST(test_merkle_inclusion_rejects_tampering)
{
	fx_mhash leaves[8], proof[FX_MERKLE_MAX_PROOF + 1], root, empty, other;
	const struct hex_vector *v;
	size_t i, j, len;

	reference_leaves(leaves);
	unhex32(roots[0], empty);
	/* sha256SomeHash of verify_test.go */
	unhex32("abacaba00000000000000000000000000"
		"0000000000000000060061e00123456", other);
	for (i = 0; i < NVEC(inclusion_vectors); i++) {
		const uint8_t *leaf;
		uint64_t m, n;

		v = &inclusion_vectors[i];
		m = v->a;
		n = v->b;
		leaf = leaves[m];
		len = v->len;
		for (j = 0; j < len; j++)
			unhex32(v->proof[j], proof[j]);
		unhex32(roots[n], root);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof, len,
						 root) == 0);
		/* wrong index */
		CHECK(fx_merkle_verify_inclusion(leaf, m - 1, n, proof, len,
						 root) != 0);
		CHECK(fx_merkle_verify_inclusion(leaf, m + 1, n, proof, len,
						 root) != 0);
		CHECK(fx_merkle_verify_inclusion(leaf, m ^ 2, n, proof, len,
						 root) != 0);
		/* wrong size */
		CHECK(fx_merkle_verify_inclusion(leaf, m, n * 2, proof, len,
						 root) != 0);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n / 2, proof, len,
						 root) != 0);
		/* wrong leaf or root */
		CHECK(fx_merkle_verify_inclusion(other, m, n, proof, len,
						 root) != 0);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof, len,
						 empty) != 0);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof, len,
						 other) != 0);
		/* a hash more at the end, or at the front */
		memcpy(proof[len], root, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof, len + 1,
						 root) != 0);
		memmove(proof[1], proof[0], len * FX_MERKLE_HASH);
		memcpy(proof[0], root, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof,
						 len + 1, root) != 0);
		memmove(proof[0], proof[1], len * FX_MERKLE_HASH);
		/* a hash less, a hash changed */
		if (len > 0)
			CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof,
							 len - 1, root) != 0);
		CHECK_INT(flips_accepted(proof, len, leaf, m, n, root, NULL),
			  0);
		CHECK(fx_merkle_verify_inclusion(leaf, m, n, proof, len,
						 root) == 0);
	}
}

/* The probes of transparency-dev/merkle's corruptConsistencyProof(). */
FX_TEST(test_merkle_consistency_rejects_tampering)
{
	fx_mhash proof[FX_MERKLE_MAX_PROOF + 1], r1, r2, wrong;
	const struct hex_vector *v;
	size_t i, j, len;
	uint64_t s1, s2;

	memset(wrong, 0x77, sizeof(wrong));
	for (i = 0; i < NVEC(consistency_vectors); i++) {
		v = &consistency_vectors[i];
		s1 = v->a;
		s2 = v->b;
		len = v->len;
		/* Trivial proofs only have the root checks below. */
		if (len == 0)
			continue;
		for (j = 0; j < len; j++)
			unhex32(v->proof[j], proof[j]);
		unhex32(roots[s1], r1);
		unhex32(roots[s2], r2);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len, r1,
						   r2) == 0);
		/* wrong size1 */
		CHECK(fx_merkle_verify_consistency(s1 - 1, s2, proof, len, r1,
						   r2) != 0);
		CHECK(fx_merkle_verify_consistency(s1 + 1, s2, proof, len, r1,
						   r2) != 0);
		CHECK(fx_merkle_verify_consistency(s1 ^ 2, s2, proof, len, r1,
						   r2) != 0);
		/* wrong size2 */
		CHECK(fx_merkle_verify_consistency(s1, s2 * 2, proof, len, r1,
						   r2) != 0);
		CHECK(fx_merkle_verify_consistency(s1, s2 / 2, proof, len, r1,
						   r2) != 0);
		/* wrong roots */
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len, wrong,
						   r2) != 0);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len, r1,
						   wrong) != 0);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len, r2,
						   r1) != 0);
		/* empty proof */
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, 0, r1,
						   r2) != 0);
		/* a hash more at the end */
		memcpy(proof[len], r1, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len + 1, r1,
						   r2) != 0);
		memcpy(proof[len], r2, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len + 1, r1,
						   r2) != 0);
		/* a hash more at the front */
		memmove(proof[1], proof[0], len * FX_MERKLE_HASH);
		memcpy(proof[0], r1, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len + 1, r1,
						   r2) != 0);
		memcpy(proof[0], r2, FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len + 1, r1,
						   r2) != 0);
		memcpy(proof[0], proof[1], FX_MERKLE_HASH);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len + 1, r1,
						   r2) != 0);
		memmove(proof[0], proof[1], len * FX_MERKLE_HASH);
		/* a hash less, a hash changed */
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len - 1, r1,
						   r2) != 0);
		CHECK_INT(flips_accepted(proof, len, NULL, s1, s2, r1, r2), 0);
		CHECK(fx_merkle_verify_consistency(s1, s2, proof, len, r1,
						   r2) == 0);
	}
}

FX_TEST(test_merkle_verify_edges)
{
	fx_mhash leaf, empty, some, r1;

	fx_merkle_leaf_hash("data", 4, leaf);
	unhex32(roots[0], empty);
	memset(some, 0xab, sizeof(some));
	unhex32(roots[1], r1);

	/* One leaf: the root is the leaf hash and the proof is empty. */
	CHECK(fx_merkle_verify_inclusion(leaf, 0, 1, NULL, 0, leaf) == 0);
	CHECK(fx_merkle_verify_inclusion(leaf, 0, 1, NULL, 0, some) != 0);
	CHECK(fx_merkle_verify_inclusion(some, 0, 1, NULL, 0, leaf) != 0);
	/* index >= size */
	CHECK(fx_merkle_verify_inclusion(leaf, 0, 0, NULL, 0, leaf) != 0);
	CHECK(fx_merkle_verify_inclusion(leaf, 1, 0, NULL, 0, leaf) != 0);
	CHECK(fx_merkle_verify_inclusion(leaf, 1, 1, NULL, 0, leaf) != 0);
	CHECK(fx_merkle_verify_inclusion(leaf, 2, 1, NULL, 0, leaf) != 0);
	/* A proof longer than the tree is high. */
	CHECK(fx_merkle_verify_inclusion(leaf, 0, 1, &some, 1, leaf) != 0);

	/* The empty tree is a prefix of any tree, given its real root. */
	CHECK(fx_merkle_verify_consistency(0, 0, NULL, 0, empty, empty) == 0);
	CHECK(fx_merkle_verify_consistency(0, 1, NULL, 0, empty, r1) == 0);
	CHECK(fx_merkle_verify_consistency(0, 5, NULL, 0, empty, some) == 0);
	CHECK(fx_merkle_verify_consistency(0, 0, NULL, 0, empty, some) != 0);
	CHECK(fx_merkle_verify_consistency(0, 1, NULL, 0, some, r1) != 0);
	CHECK(fx_merkle_verify_consistency(0, 1, &empty, 1, empty, r1) != 0);
	/* Equal sizes: equal roots and an empty proof. */
	CHECK(fx_merkle_verify_consistency(1, 1, NULL, 0, r1, r1) == 0);
	CHECK(fx_merkle_verify_consistency(1, 1, NULL, 0, r1, some) != 0);
	CHECK(fx_merkle_verify_consistency(1, 1, &empty, 1, r1, r1) != 0);
	/* The past cannot extend the present. */
	CHECK(fx_merkle_verify_consistency(1, 0, NULL, 0, r1, empty) != 0);
	CHECK(fx_merkle_verify_consistency(2, 1, NULL, 0, r1, r1) != 0);
	/* Growth needs a proof. */
	CHECK(fx_merkle_verify_consistency(1, 2, NULL, 0, r1, some) != 0);
}

FX_TEST(test_merkle_proof_bad_arguments)
{
	fx_mhash leaves[8], proof[FX_MERKLE_MAX_PROOF];
	size_t len;

	reference_leaves(leaves);
	len = 99;
	CHECK_INT(fx_merkle_inclusion_proof(leaves, 0, 0, proof, &len), -1);
	CHECK_INT(len, 0);
	CHECK_INT(fx_merkle_inclusion_proof(leaves, 1, 2, proof, &len), -1);
	CHECK_INT(fx_merkle_inclusion_proof(leaves, 7, 7, proof, &len), -1);
	CHECK_INT(fx_merkle_consistency_proof(leaves, 0, 5, proof, &len), -1);
	CHECK_INT(fx_merkle_consistency_proof(leaves, 0, 0, proof, &len), -1);
	CHECK_INT(fx_merkle_consistency_proof(leaves, 9, 8, proof, &len), -1);
	CHECK_INT(fx_merkle_consistency_proof(leaves, 5, 5, proof, &len), 0);
	CHECK_INT(len, 0);
}

FX_TEST(test_merkle_acc_matches_root)
{
	fx_mhash leaves[70], a, b, c;
	struct fx_merkle_acc acc;
	uint64_t n;

	make_leaves(leaves, 70);
	fx_merkle_acc_init(&acc);
	for (n = 0; n <= 70; n++) {
		if (n > 0)
			fx_merkle_acc_append(&acc, leaves[n - 1]);
		fx_merkle_acc_root(&acc, a);
		fx_merkle_root(leaves, n, b);
		ref_mth(leaves, n, c);
		CHECK(eq(a, b));
		CHECK(eq(b, c));
	}
}

FX_TEST(test_merkle_inclusion_all_small_trees)
{
	fx_mhash leaves[41], roots_n[41], proof[FX_MERKLE_MAX_PROOF],
		want[FX_MERKLE_MAX_PROOF];
	uint64_t n, m, x;
	size_t len, wlen, j;
	int bad_gen = 0, bad_verify = 0, accepted = 0;

	make_leaves(leaves, 41);
	for (n = 0; n <= 40; n++)
		ref_mth(leaves, n, roots_n[n]);
	for (n = 1; n <= 40; n++)
		for (m = 0; m < n; m++) {
			if (fx_merkle_inclusion_proof(leaves, n, m, proof,
						      &len) != 0)
				bad_gen++;
			wlen = 0;
			ref_path(leaves, n, m, want, &wlen);
			if (len != wlen)
				bad_gen++;
			for (j = 0; j < len && j < wlen; j++)
				if (!eq(proof[j], want[j]))
					bad_gen++;
			if (fx_merkle_verify_inclusion(leaves[m], m, n, proof,
						       len, roots_n[n]) != 0)
				bad_verify++;
			/* Another leaf, index or tree head must not pass. */
			for (x = 0; x <= 40; x++) {
				if (x != m && x < n &&
				    fx_merkle_verify_inclusion(
					    leaves[m], x, n, proof, len,
					    roots_n[n]) == 0)
					accepted++;
				if (x != m && x < n &&
				    fx_merkle_verify_inclusion(
					    leaves[x], m, n, proof, len,
					    roots_n[n]) == 0)
					accepted++;
				if (x != n && x > m &&
				    fx_merkle_verify_inclusion(
					    leaves[m], m, x, proof, len,
					    roots_n[x]) == 0)
					accepted++;
			}
			accepted += flips_accepted(proof, len, leaves[m], m, n,
						   roots_n[n], NULL);
		}
	CHECK_INT(bad_gen, 0);
	CHECK_INT(bad_verify, 0);
	CHECK_INT(accepted, 0);
}

FX_TEST(test_merkle_consistency_all_small_trees)
{
	fx_mhash leaves[41], roots_n[41], proof[FX_MERKLE_MAX_PROOF],
		want[FX_MERKLE_MAX_PROOF];
	uint64_t n, m, x;
	size_t len, wlen, j;
	int bad_gen = 0, bad_verify = 0, accepted = 0;

	make_leaves(leaves, 41);
	for (n = 0; n <= 40; n++)
		ref_mth(leaves, n, roots_n[n]);
	for (n = 1; n <= 40; n++)
		for (m = 1; m <= n; m++) {
			if (fx_merkle_consistency_proof(leaves, m, n, proof,
							&len) != 0)
				bad_gen++;
			wlen = 0;
			ref_subproof(leaves, n, m, 1, want, &wlen);
			if (len != wlen)
				bad_gen++;
			for (j = 0; j < len && j < wlen; j++)
				if (!eq(proof[j], want[j]))
					bad_gen++;
			if (fx_merkle_verify_consistency(m, n, proof, len,
							 roots_n[m],
							 roots_n[n]) != 0)
				bad_verify++;
			/* Other tree heads, old or new, must not pass. */
			for (x = 1; x <= 40; x++) {
				if (x != m && fx_merkle_verify_consistency(
						      x, n, proof, len,
						      roots_n[x],
						      roots_n[n]) == 0)
					accepted++;
				if (x != n && fx_merkle_verify_consistency(
						      m, x, proof, len,
						      roots_n[m],
						      roots_n[x]) == 0)
					accepted++;
			}
			accepted += flips_accepted(proof, len, NULL, m, n,
						   roots_n[m], roots_n[n]);
		}
	CHECK_INT(bad_gen, 0);
	CHECK_INT(bad_verify, 0);
	CHECK_INT(accepted, 0);
}

/*
 * Leaf i: i in little-endian in the first 8 bytes, then 24 bytes of 0x5a.
 * The roots were computed independently with Python's hashlib and the
 * recursive definition of RFC 9162 2.1.1.
 */
#define MILLION 1000000
#define ROOT_500K \
	"1082b92d55c84cfd8c9776678b2fa14e8efabf914828fd39b27fcdae79415bf5"
#define ROOT_1M \
	"bbbc9b1b66def4281f69a1398725e503c25aae64725dbecfebaa1c35175751d9"

FX_TEST(test_merkle_million_leaves)
{
	fx_mhash *leaves = malloc((size_t)MILLION * sizeof(*leaves));
	fx_mhash proof[FX_MERKLE_MAX_PROOF], half, acc_root, root;
	struct fx_merkle_acc acc;
	uint64_t i;
	size_t len;
	int b;

	CHECK(leaves != NULL);
	if (!leaves)
		return;
	fx_merkle_acc_init(&acc);
	for (i = 0; i < MILLION; i++) {
		for (b = 0; b < 8; b++)
			leaves[i][b] = (uint8_t)(i >> 8 * b);
		memset(leaves[i] + 8, 0x5a, FX_MERKLE_HASH - 8);
		fx_merkle_acc_append(&acc, leaves[i]);
		if (i + 1 == MILLION / 2)
			fx_merkle_acc_root(&acc, half);
	}
	fx_merkle_acc_root(&acc, acc_root);
	fx_merkle_root(leaves, MILLION, root);
	CHECK(eq_hex(half, ROOT_500K));
	CHECK(eq_hex(acc_root, ROOT_1M));
	CHECK(eq(root, acc_root));

	CHECK(fx_merkle_inclusion_proof(leaves, MILLION, 777777, proof,
					&len) == 0);
	CHECK_INT(len, 20);
	CHECK(fx_merkle_verify_inclusion(leaves[777777], 777777, MILLION, proof,
					 len, root) == 0);
	free(leaves);
}
