/* rules.c - assignment tag rules and finding codes (see rules.h). */
#include "rules.h"

#include <string.h>
#include <strings.h>

#include "notebook.h"

struct code_info {
	const char *name;
	enum rules_severity severity;
	const char *description;
};

static const struct code_info code_infos[RULE_COUNT] = {
#define RULES_CODE_ROW(e, n, sev, desc) [RULE_##e] = { n, RULES_##sev, desc },
	RULES_CODE_INFO(RULES_CODE_ROW)
#undef RULES_CODE_ROW
};

/* Kinds accepted in the conventional shape, and used to find the lesson
 * part of unconventional ids. */
static const char *const kinds[] = {
	"exercise", "practice", "problem", "task", "challenge"
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const char *rules_code_name(enum rules_code code)
{
	return (unsigned)code < RULE_COUNT ? code_infos[code].name : "?";
}

const char *rules_code_description(enum rules_code code)
{
	return (unsigned)code < RULE_COUNT ? code_infos[code].description : "?";
}

enum rules_severity rules_code_severity(enum rules_code code)
{
	return (unsigned)code < RULE_COUNT ? code_infos[code].severity
	                                   : RULES_ERROR;
}

const char *rules_severity_name(enum rules_severity sev)
{
	switch (sev) {
	case RULES_ERROR: return "error";
	case RULES_WARNING: return "warning";
	case RULES_INFO: return "info";
	}
	return "?";
}

enum rules_code rules_code_from_name(const char *name)
{
	for (int i = 0; i < RULE_COUNT; i++)
		if (name && strcmp(code_infos[i].name, name) == 0)
			return (enum rules_code)i;
	return RULE_COUNT;
}

const char *rules_prefix(const struct ct_config *cfg)
{
	return cfg && cfg->tag_prefix ? cfg->tag_prefix : CT_DEFAULT_TAG_PREFIX;
}

bool rules_is_assignment(const struct ct_config *cfg, const char *tag)
{
	const char *p = rules_prefix(cfg);
	return tag && strncmp(tag, p, strlen(p)) == 0;
}

static bool is_lower_digit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

enum rules_code rules_check_id(const char *id, size_t len, const char **why)
{
	bool upper = false, space = false, underscore = false, other = false;
	bool hyphen = false;
	enum rules_code code = RULE_OK;

	if (len == 0) {
		code = RULE_ASSIGN_EMPTY;
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (is_lower_digit(c))
			continue;
		if (c == '-') {
			if (i == 0 || i + 1 == len || id[i + 1] == '-')
				hyphen = true;
		} else if (c >= 'A' && c <= 'Z') {
			upper = true;
		} else if (c == ' ' || c == '\t') {
			space = true;
		} else if (c == '_') {
			underscore = true;
		} else {
			other = true;
		}
	}
	/* One code per tag, most specific first: the fix for uppercase is
	 * obvious, "other characters" is the catch-all. */
	if (upper)
		code = RULE_ASSIGN_UPPERCASE;
	else if (space)
		code = RULE_ASSIGN_SPACE;
	else if (underscore)
		code = RULE_ASSIGN_UNDERSCORE;
	else if (other)
		code = RULE_ASSIGN_CHARS;
	else if (hyphen)
		code = RULE_ASSIGN_HYPHEN;
	else if (len > RULES_ID_MAX)
		code = RULE_ASSIGN_LENGTH;
out:
	if (why)
		*why = code == RULE_OK ? NULL : code_infos[code].description;
	return code;
}

/* Length of a run of ASCII digits at s. */
static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

bool rules_id_conventional(const char *id)
{
	const char *p = id;
	size_t n;

	if (strncmp(p, "lesson-", 7) != 0)
		return false;
	p += 7;
	if ((n = digits(p)) < 2)
		return false;
	p += n;
	if (*p >= 'a' && *p <= 'z')
		p++;
	if (*p++ != '-')
		return false;
	size_t k;
	for (k = 0; k < NKINDS; k++) {
		size_t kl = strlen(kinds[k]);
		if (strncmp(p, kinds[k], kl) == 0 && p[kl] == '-') {
			p += kl + 1;
			break;
		}
	}
	if (k == NKINDS)
		return false;
	for (;;) {
		if ((n = digits(p)) == 0)
			return false;
		p += n;
		if (*p == '-') {
			p++;
			continue;
		}
		break;
	}
	if (*p >= 'a' && *p <= 'z')
		p++;
	return *p == '\0';
}

enum rules_code rules_check_tag(const struct ct_config *cfg, const char *tag,
                                const char **why)
{
	const char *prefix = rules_prefix(cfg);
	size_t plen = strlen(prefix);
	enum rules_code code = RULE_OK;
	const char *reason = NULL;

	if (!tag || !*tag) {
		code = RULE_TAG_EMPTY;
	} else if (strchr(tag, ',')) {
		code = RULE_TAG_COMMA;
	} else if (!tag_schema_valid(tag, &reason)) {
		code = RULE_TAG_INVALID;
	} else if (strncmp(tag, prefix, plen) == 0) {
		const char *id = tag + plen;
		code = rules_check_id(id, strlen(id), &reason);
		if (code == RULE_OK && !rules_id_conventional(id))
			code = RULE_ASSIGN_SHAPE;
	} else if (plen > 0 && strncasecmp(tag, prefix, plen) == 0) {
		code = RULE_ASSIGN_PREFIX_CASE;
	}
	if (why) {
		if (code == RULE_OK)
			*why = NULL;
		else if (code == RULE_TAG_INVALID && reason)
			*why = reason;
		else
			*why = code_infos[code].description;
	}
	return code;
}

static bool copy_out(char *buf, size_t size, const char *s, size_t n)
{
	if (!buf || size == 0)
		return false;
	if (n >= size) {
		buf[0] = '\0';
		return false;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

bool rules_tag_lesson(const struct ct_config *cfg, const char *tag,
                      char *buf, size_t size)
{
	if (buf && size)
		buf[0] = '\0';
	if (!rules_is_assignment(cfg, tag))
		return false;
	const char *id = tag + strlen(rules_prefix(cfg));

	if (strncmp(id, "lesson-", 7) == 0) {
		size_t n = digits(id + 7);
		if (n > 0) {
			size_t len = 7 + n;
			if (id[len] >= 'a' && id[len] <= 'z')
				len++;
			if (id[len] == '-' || id[len] == '\0')
				return copy_out(buf, size, id, len);
		}
	}
	/* Unconventional: the part before the first "-<kind>-" or final
	 * "-<kind>". */
	for (const char *p = strchr(id, '-'); p; p = strchr(p + 1, '-')) {
		for (size_t k = 0; k < NKINDS; k++) {
			size_t kl = strlen(kinds[k]);
			if (strncmp(p + 1, kinds[k], kl) == 0 &&
			    (p[1 + kl] == '-' || p[1 + kl] == '\0') && p > id)
				return copy_out(buf, size, id, (size_t)(p - id));
		}
	}
	return false;
}
