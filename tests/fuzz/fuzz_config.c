/* fuzz_config.c - libFuzzer target: config_load_buffer on any bytes.
 *
 * Properties: no sanitizer report; success leaves the documented
 * invariants (prefix and suggestion never NULL, counts match arrays, key
 * bindings complete); failure is one CT_CONFIG-class error line naming the
 * buffer; config_free always leaves a state that can be freed again.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fuzz_check.h"
#include "status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_config cfg;
	struct ct_error err;

	config_init_defaults(&cfg);
	ct_error_clear(&err);
	enum ct_status st = config_load_buffer(&cfg, (const char *)data, size,
	                                       "fuzz.yaml", &err);
	if (st == CT_OK) {
		FUZZ_CHECK(cfg.tag_prefix != NULL, "tag_prefix NULL");
		FUZZ_CHECK(cfg.suggestion != NULL, "suggestion NULL");
		FUZZ_CHECK(cfg.nexercise_patterns == 0 ||
		           cfg.exercise_patterns != NULL, "patterns");
		for (size_t i = 0; i < cfg.nexercise_patterns; i++)
			FUZZ_CHECK(cfg.exercise_patterns[i] != NULL, "pattern %zu", i);
		for (size_t i = 0; i < cfg.nextra_exercise_patterns; i++)
			FUZZ_CHECK(cfg.extra_exercise_patterns[i] != NULL, "extra");
		for (size_t i = 0; i < cfg.nheading_words; i++)
			FUZZ_CHECK(cfg.heading_words[i] != NULL, "heading %zu", i);
		for (size_t i = 0; i < cfg.nkeys; i++)
			FUZZ_CHECK(cfg.keys[i].key != NULL &&
			           cfg.keys[i].action != NULL, "key %zu", i);
		(void)strlen(cfg.tag_prefix);
		(void)strlen(cfg.suggestion);
	} else {
		FUZZ_CHECK_ERROR(&err, st);
		FUZZ_CHECK(st == CT_CONFIG || st == CT_UTF8 || st == CT_NOMEM ||
		           st == CT_TOOBIG, "unexpected status %s",
		           ct_status_name(st));
		FUZZ_CHECK(strcmp(err.path, "fuzz.yaml") == 0, "path '%s'",
		           err.path);
	}
	config_free(&cfg);
	config_free(&cfg);
	return 0;
}
