/* test_rules.c - assignment tag rules and finding codes (core/rules.c). */
#include <criterion/criterion.h>

#include <string.h>

#include "config.h"
#include "rules.h"

static enum rules_code check(const char *tag)
{
	const char *why = "unset";
	enum rules_code c = rules_check_tag(NULL, tag, &why);
	if (c == RULE_OK)
		cr_expect_null(why, "why set for a valid tag '%s'", tag);
	else
		cr_expect(why && *why && !strchr(why, '\n'),
		          "no one-line reason for '%s'", tag);
	return c;
}

#define EXPECT_CODE(tag, code) \
	cr_expect_eq(check(tag), code, "'%s': got %s, expected %s", tag, \
	             rules_code_name(check(tag)), rules_code_name(code))

Test(rules, valid_conventional_tags)
{
	EXPECT_CODE("assignment:lesson-03-exercise-1", RULE_OK);
	EXPECT_CODE("assignment:lesson-06a-exercise-2", RULE_OK);
	EXPECT_CODE("assignment:lesson-01-practice-1", RULE_OK);
	EXPECT_CODE("assignment:lesson-10-problem-3-2", RULE_OK);
	EXPECT_CODE("assignment:lesson-12-task-5a", RULE_OK);
	EXPECT_CODE("assignment:lesson-123-challenge-1", RULE_OK);
}

Test(rules, non_assignment_tags_only_schema)
{
	EXPECT_CODE("hide-input", RULE_OK);
	EXPECT_CODE("Parameters With Spaces", RULE_OK);
	EXPECT_CODE("raises-exception", RULE_OK);
}

Test(rules, schema_errors)
{
	EXPECT_CODE("", RULE_TAG_EMPTY);
	EXPECT_CODE("a,b", RULE_TAG_COMMA);
	EXPECT_CODE("assignment:lesson-01,exercise-1", RULE_TAG_COMMA);
	EXPECT_CODE("bell\x07", RULE_TAG_INVALID);
	EXPECT_CODE("bad\xff", RULE_TAG_INVALID);
	cr_expect_eq(rules_check_tag(NULL, NULL, NULL), RULE_TAG_EMPTY);
}

Test(rules, id_errors)
{
	EXPECT_CODE("assignment:", RULE_ASSIGN_EMPTY);
	EXPECT_CODE("assignment:Lesson-03-exercise-1", RULE_ASSIGN_UPPERCASE);
	EXPECT_CODE("assignment:lesson 03", RULE_ASSIGN_SPACE);
	EXPECT_CODE("assignment: lesson-03-exercise-1", RULE_ASSIGN_SPACE);
	EXPECT_CODE("assignment:lesson_03_exercise_1", RULE_ASSIGN_UNDERSCORE);
	EXPECT_CODE("assignment:lesson-03.1", RULE_ASSIGN_CHARS);
	EXPECT_CODE("assignment:lesson/03", RULE_ASSIGN_CHARS);
	EXPECT_CODE("assignment:lessön-03", RULE_ASSIGN_CHARS);
	EXPECT_CODE("assignment:-lesson-03", RULE_ASSIGN_HYPHEN);
	EXPECT_CODE("assignment:lesson-03-", RULE_ASSIGN_HYPHEN);
	EXPECT_CODE("assignment:lesson--03", RULE_ASSIGN_HYPHEN);
	EXPECT_CODE("assignment:-", RULE_ASSIGN_HYPHEN);
}

Test(rules, id_error_priority)
{
	/* several problems: the most specific wins */
	EXPECT_CODE("assignment:Lesson_03 x", RULE_ASSIGN_UPPERCASE);
	EXPECT_CODE("assignment:lesson_03 x", RULE_ASSIGN_SPACE);
	EXPECT_CODE("assignment:lesson_03-", RULE_ASSIGN_UNDERSCORE);
}

Test(rules, length_limit)
{
	char tag[200];
	strcpy(tag, "assignment:");
	size_t p = strlen(tag);
	memset(tag + p, 'a', RULES_ID_MAX);
	tag[p + RULES_ID_MAX] = '\0';
	cr_expect_eq(check(tag), RULE_ASSIGN_SHAPE);   /* valid, odd shape */
	tag[p + RULES_ID_MAX] = 'a';
	tag[p + RULES_ID_MAX + 1] = '\0';
	EXPECT_CODE(tag, RULE_ASSIGN_LENGTH);
}

Test(rules, shape_warning)
{
	EXPECT_CODE("assignment:lesson-3-exercise-1", RULE_ASSIGN_SHAPE);
	EXPECT_CODE("assignment:week2-task-1", RULE_ASSIGN_SHAPE);
	EXPECT_CODE("assignment:lesson-03-exercise", RULE_ASSIGN_SHAPE);
	EXPECT_CODE("assignment:lesson-03-homework-1", RULE_ASSIGN_SHAPE);
	EXPECT_CODE("assignment:lesson-03-exercise-1ab", RULE_ASSIGN_SHAPE);
	EXPECT_CODE("assignment:lesson-03ab-exercise-1", RULE_ASSIGN_SHAPE);
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_SHAPE), RULES_WARNING);
}

Test(rules, prefix_case_warning)
{
	EXPECT_CODE("Assignment:lesson-03-exercise-1", RULE_ASSIGN_PREFIX_CASE);
	EXPECT_CODE("ASSIGNMENT:x", RULE_ASSIGN_PREFIX_CASE);
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_PREFIX_CASE), RULES_WARNING);
}

Test(rules, configured_prefix)
{
	struct ct_config cfg;
	config_init_defaults(&cfg);
	cfg.tag_prefix = "hw/";
	const char *why;
	cr_expect_eq(rules_check_tag(&cfg, "hw/lesson-01-exercise-1", &why),
	             RULE_OK);
	cr_expect_eq(rules_check_tag(&cfg, "hw/Bad", &why),
	             RULE_ASSIGN_UPPERCASE);
	/* the default prefix is now an ordinary tag */
	cr_expect_eq(rules_check_tag(&cfg, "assignment:Bad", &why), RULE_OK);
	cr_expect(rules_is_assignment(&cfg, "hw/x"));
	cr_expect_not(rules_is_assignment(&cfg, "assignment:x"));
	cr_expect_str_eq(rules_prefix(NULL), "assignment:");
}

Test(rules, severities)
{
	for (int c = RULE_TAG_EMPTY; c <= RULE_ASSIGN_LENGTH; c++)
		cr_expect_eq(rules_code_severity((enum rules_code)c), RULES_ERROR,
		             "%s", rules_code_name((enum rules_code)c));
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_MULTIPLE), RULES_WARNING);
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_DUPLICATE), RULES_WARNING);
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_NOT_CODE), RULES_WARNING);
	cr_expect_eq(rules_code_severity(RULE_ASSIGN_LESSON), RULES_WARNING);
	cr_expect_eq(rules_code_severity(RULE_EXERCISE_UNTAGGED), RULES_INFO);
	cr_expect_str_eq(rules_severity_name(RULES_ERROR), "error");
	cr_expect_str_eq(rules_severity_name(RULES_WARNING), "warning");
	cr_expect_str_eq(rules_severity_name(RULES_INFO), "info");
}

Test(rules, code_names_unique_and_stable)
{
	for (int a = 0; a < RULE_COUNT; a++) {
		const char *n = rules_code_name((enum rules_code)a);
		cr_expect_eq(rules_code_from_name(n), (enum rules_code)a, "%s", n);
		cr_expect(strlen(rules_code_description((enum rules_code)a)) > 0);
		for (const char *p = n; *p; p++)
			cr_expect((*p >= 'a' && *p <= 'z') || *p == '-',
			          "code name '%s' not kebab-case", n);
	}
	cr_expect_str_eq(rules_code_name(RULE_TAG_COMMA), "tag-comma");
	cr_expect_str_eq(rules_code_name(RULE_EXERCISE_UNTAGGED),
	                 "exercise-untagged");
	cr_expect_str_eq(rules_code_name(RULE_COUNT), "?");
	cr_expect_eq(rules_code_from_name("no-such-code"), RULE_COUNT);
}

Test(rules, conventional_shape)
{
	cr_expect(rules_id_conventional("lesson-03-exercise-1"));
	cr_expect(rules_id_conventional("lesson-06a-exercise-2"));
	cr_expect(rules_id_conventional("lesson-01-practice-1-2"));
	cr_expect_not(rules_id_conventional("lesson-1-exercise-1"));
	cr_expect_not(rules_id_conventional("lesson-01-exercise-"));
	cr_expect_not(rules_id_conventional("lesson-01-exercise-1-"));
	cr_expect_not(rules_id_conventional("lesson-01"));
	cr_expect_not(rules_id_conventional("exercise-1"));
}

Test(rules, tag_lesson)
{
	char buf[64];
	cr_expect(rules_tag_lesson(NULL, "assignment:lesson-03-exercise-1", buf,
	                           sizeof buf));
	cr_expect_str_eq(buf, "lesson-03");
	cr_expect(rules_tag_lesson(NULL, "assignment:lesson-06a-exercise-2", buf,
	                           sizeof buf));
	cr_expect_str_eq(buf, "lesson-06a");
	cr_expect(rules_tag_lesson(NULL, "assignment:lesson-3", buf, sizeof buf));
	cr_expect_str_eq(buf, "lesson-3");
	cr_expect(rules_tag_lesson(NULL, "assignment:week2-task-1", buf,
	                           sizeof buf));
	cr_expect_str_eq(buf, "week2");
	cr_expect_not(rules_tag_lesson(NULL, "assignment:foo", buf, sizeof buf));
	cr_expect_str_eq(buf, "");
	cr_expect_not(rules_tag_lesson(NULL, "hide-input", buf, sizeof buf));
	cr_expect_not(rules_tag_lesson(NULL, "assignment:exercise-1", buf,
	                               sizeof buf));
	/* a too-small buffer is refused, not overrun */
	char tiny[4];
	cr_expect_not(rules_tag_lesson(NULL, "assignment:lesson-03-exercise-1",
	                               tiny, sizeof tiny));
}
