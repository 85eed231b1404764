#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "harness.h"
#include "sign/sign_int.h"

/* A key with a bare certificate around its public half, for note tests. */
static struct key *test_key(const char *name, const char *algo)
{
	struct key *k = fx_xcalloc(1, sizeof(*k));

	k->name = fx_xstrdup(name);
	if (strcmp(algo, "ed25519") == 0)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else if (strcmp(algo, "p256") == 0)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	k->cert = X509_new();
	X509_set_pubkey(k->cert, k->pkey);
	k->chain = sk_X509_new_null();
	return k;
}

static void leaves_of(fx_mhash *leaves, uint64_t n)
{
	char s[32];
	uint64_t i;

	for (i = 0; i < n; i++) {
		snprintf(s, sizeof(s), "entry %llu", (unsigned long long)i);
		fx_merkle_leaf_hash(s, strlen(s), leaves[i]);
	}
}

FX_TEST(test_sign_base64_is_strict)
{
	uint8_t *p;
	size_t n;
	char *e = b64_encode("fx", 2);

	CHECK_STR(e, "Zng=");
	p = b64_decode("Zng=", 4, &n);
	CHECK(p && n == 2 && memcmp(p, "fx", 2) == 0);
	free(p);
	/* Another encoding of the same bytes is refused: a changed byte shows. */
	CHECK(b64_decode("Znh=", 4, &n) == NULL);
	CHECK(b64_decode("Zng", 3, &n) == NULL);
	CHECK(b64_decode("Z g=", 4, &n) == NULL);
	free(e);
}

FX_TEST(test_sign_origin_is_a_url_without_spaces)
{
	char *o = note_origin("2026-113 A+B/c");

	CHECK_STR(o, "fx-case/2026-113%20A%2BB%2Fc");
	free(o);
}

FX_TEST(test_sign_note_round_trip_for_each_key_type)
{
	static const char *const algos[] = { "ed25519", "p256", "rsa" };
	struct fx_buf b = FX_BUF_INIT;
	struct note n;
	fx_mhash root;
	char msg[200], *text;
	uint32_t id;
	size_t i;

	fx_sha256("root", 4, root);
	text = note_text("fx-case/2026-113", 1287, root);
	fx_buf_add(&b, text, strlen(text));
	fx_buf_add(&b, "\n", 1);
	for (i = 0; i < 3; i++) {
		struct key *k = test_key(algos[i], algos[i]);

		CHECK(note_sign(k, text, &b, &id) == 0);
		key_free(k);
	}
	CHECK(note_parse(b.data, b.len, &n, msg, sizeof(msg)) == 0);
	CHECK_STR(n.origin, "fx-case/2026-113");
	CHECK_INT(n.size, 1287);
	CHECK(memcmp(n.root, root, 32) == 0);
	CHECK_INT(n.nsigs, 3);
	CHECK_STR(n.sigs[0].name, "ed25519");
	CHECK_STR(n.sigs[2].name, "rsa");
	note_release(&n);
	/* The text is what is signed: a changed size fails every signature. */
	b.data[strlen("fx-case/2026-113\n")] = '2';
	CHECK(note_parse(b.data, b.len, &n, msg, sizeof(msg)) == 0);
	note_release(&n);
	fx_buf_release(&b);
	free(text);
}

FX_TEST(test_sign_note_signature_checks_key_and_text)
{
	struct key *k = test_key("lab", "ed25519"), *other = test_key("lab", "ed25519");
	struct fx_buf b = FX_BUF_INIT;
	struct note n;
	fx_mhash root;
	char msg[200], *text;
	uint32_t id;
	uint8_t raw[32], md[32];
	size_t len = sizeof(raw);
	struct fx_buf in = FX_BUF_INIT;

	memset(root, 7, sizeof(root));
	text = note_text("o", 3, root);
	fx_buf_add(&b, text, strlen(text));
	fx_buf_add(&b, "\n", 1);
	CHECK(note_sign(k, text, &b, &id) == 0);
	/* signed-note: key ID = SHA-256(name || 0x0A || 0x01 || key)[:4] */
	EVP_PKEY_get_raw_public_key(k->pkey, raw, &len);
	fx_buf_add(&in, "lab\n\x01", 5);
	fx_buf_add(&in, raw, 32);
	fx_sha256(in.data, in.len, md);
	CHECK(id == ((uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3]));
	CHECK(note_parse(b.data, b.len, &n, msg, sizeof(msg)) == 0);
	CHECK(note_verify_sig(&n, &n.sigs[0], k->pkey) == 0);
	CHECK(note_verify_sig(&n, &n.sigs[0], other->pkey) < 0);
	n.text[0] = 'p';
	CHECK(note_verify_sig(&n, &n.sigs[0], k->pkey) < 0);
	note_release(&n);
	CHECK(note_parse("no blank line\n", 14, &n, msg, sizeof(msg)) < 0);
	note_release(&n);
	fx_buf_release(&in);
	fx_buf_release(&b);
	free(text);
	key_free(k);
	key_free(other);
}

FX_TEST(test_sign_tree_proofs_match_fx_merkle)
{
	static const uint64_t sizes[] = { 1, 2, 255, 256, 257, 511, 512, 513, 700, 1024, 1300 };
	fx_mhash *leaves = fx_xmalloc(1300 * sizeof(fx_mhash));
	fx_mhash a[FX_MERKLE_MAX_PROOF], b[FX_MERKLE_MAX_PROOF], r1, r2;
	size_t la, lb, i;
	uint64_t n, m;
	struct tree t;

	leaves_of(leaves, 1300);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		tree_init(&t, NULL, leaves, n);
		CHECK(tree_build(&t, NULL, 0) == 0);
		CHECK_INT(t.nblocks, n / 256);
		CHECK(tree_root(&t, n, r1) == 0);
		fx_merkle_root(leaves, n, r2);
		CHECK(memcmp(r1, r2, 32) == 0);
		for (m = 0; m < n; m += 1 + n / 7) {
			CHECK(tree_inclusion(&t, m, n, a, &la) == 0);
			CHECK(fx_merkle_inclusion_proof(leaves, n, m, b, &lb) == 0);
			CHECK(la == lb && memcmp(a, b, la * sizeof(fx_mhash)) == 0);
			CHECK(fx_merkle_verify_inclusion(leaves[m], m, n, a, la, r1) == 0);
			if (m == 0)
				continue;
			CHECK(tree_consistency(&t, m, n, a, &la) == 0);
			CHECK(fx_merkle_consistency_proof(leaves, m, n, b, &lb) == 0);
			CHECK(la == lb && memcmp(a, b, la * sizeof(fx_mhash)) == 0);
		}
		tree_release(&t);
	}
	free(leaves);
}

FX_TEST(test_sign_tree_takes_block_roots_as_given)
{
	fx_mhash *leaves = fx_xmalloc(600 * sizeof(fx_mhash)), r1, r2;
	struct tree t, u;

	leaves_of(leaves, 600);
	tree_init(&t, NULL, leaves, 300);
	CHECK(tree_build(&t, NULL, 0) == 0);
	/* A later tree starts from the earlier one's blocks. */
	tree_init(&u, NULL, leaves, 600);
	CHECK(tree_build(&u, (const uint8_t *)t.blocks, t.nblocks) == 0);
	CHECK(tree_root(&u, 600, r1) == 0);
	fx_merkle_root(leaves, 600, r2);
	CHECK(memcmp(r1, r2, 32) == 0);
	CHECK(tree_root(&u, 300, r1) == 0);
	fx_merkle_root(leaves, 300, r2);
	CHECK(memcmp(r1, r2, 32) == 0);
	/* A wrong block root gives a wrong root: tiles cannot hide a change. */
	u.blocks[0][0] ^= 1;
	CHECK(tree_root(&u, 600, r1) == 0);
	fx_merkle_root(leaves, 600, r2);
	CHECK(memcmp(r1, r2, 32) != 0);
	tree_release(&t);
	tree_release(&u);
	free(leaves);
}
