/* plan.c - batch tag plans (see plan.h).
 *
 * The whole plan is checked before anything is written: parsing validates
 * the schema and the tags and compiles every regex once; preparing loads
 * every notebook and applies the edits in memory; only then does saving
 * start, after a conflict check of every changed notebook. */
#include "plan.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rules.h"
#include "yamlutil.h"

struct parser {
	struct yu_doc doc;
	struct plan *plan;
	const struct ct_config *cfg;
	const char *base_dir;
	struct ct_error *err;
};

/* Tag rules for added tags: the nbformat schema, then for assignment tags
 * the id rules (rules.h); an unconventional shape is only a warning there,
 * so it is accepted.  Removal only needs a non-empty string: a plan must be
 * able to remove the malformed tags found in real files. */
static bool plan_tag_valid(const struct ct_config *cfg, const char *tag,
                           const char **why, const char **code)
{
	enum rules_code rc;

	*code = NULL;
	if (!tag_schema_valid(tag, why))
		return false;
	rc = rules_check_tag(cfg, tag, why);
	if (rc == RULE_OK || rc == RULE_ASSIGN_SHAPE)
		return true;
	*code = rules_code_name(rc);
	return false;
}

/* Copy `s` into buf (of `size` bytes) for a message: C0 and C1 control
 * characters shown as '?', so a hostile plan or notebook cannot inject
 * terminal escapes; cut with "..." at a character boundary when too long. */
static const char *msg_text(const char *s, char *buf, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;

	while (u[i]) {
		size_t n = u[i] < 0x80 ? 1 : u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 :
		           u[i] >= 0xc0 ? 2 : 1;
		if (o + n + 4 > size)
			break;
		if (u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)) {
			buf[o++] = '?';
			i += u[i] == 0xc2 ? 2 : 1;
			continue;
		}
		for (size_t k = 0; k < n && u[i]; k++)
			buf[o++] = (char)u[i++];
	}
	if (u[i])
		buf[o++] = '.', buf[o++] = '.', buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

static enum ct_status nomem(struct parser *ps)
{
	return ct_error_set(ps->err, CT_NOMEM, ps->doc.name, "out of memory");
}

static char *adup(struct ct_arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

static enum ct_status unknown_key(struct parser *ps, yaml_node_t *k,
                                  const char *where, const char *known)
{
	char buf[80];

	return yu_error(&ps->doc, k, ps->err, "unknown key '%s' in %s (known: %s)",
	                msg_text(yu_scalar(k, NULL), buf, sizeof buf), where, known);
}

/* `add:` / `remove:` value: one tag or a list of tags. */
static enum ct_status parse_tags(struct parser *ps, yaml_node_t *v,
                                 const char *what, bool adding,
                                 struct plan_tag **out, size_t *count)
{
	struct plan_tag *tags;
	size_t n;
	bool single = v->type == YAML_SCALAR_NODE;

	if ((!single && v->type != YAML_SEQUENCE_NODE) ||
	    (single && yu_kind_of(v) == YU_NULL))
		return yu_error(&ps->doc, v, ps->err,
		                "%s must be a tag or a list of tags, not %s", what,
		                yu_kind_name(yu_kind_of(v)));
	n = single ? 1 : yu_seq_count(v);
	if (!(tags = arena_zalloc(ps->plan->arena, (n ? n : 1) * sizeof *tags)))
		return nomem(ps);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = single ? v : yu_seq_item(&ps->doc, v, i);
		const char *s, *why = NULL, *code = NULL;
		size_t len;
		enum ct_status st = yu_get_str(&ps->doc, it,
		                               single ? what : "each tag", &s, &len,
		                               ps->err);
		if (st != CT_OK)
			return st;
		if (len == 0)
			return yu_error(&ps->doc, it, ps->err, "a tag must not be empty");
		if (adding && !plan_tag_valid(ps->cfg, s, &why, &code)) {
			char buf[80];
			return yu_error(&ps->doc, it, ps->err, "invalid tag '%s': %s%s%s%s",
			                msg_text(s, buf, sizeof buf),
			                why ? why : "rejected", code ? " [" : "",
			                code ? code : "", code ? "]" : "");
		}
		if (!(tags[i].tag = arena_strndup(ps->plan->arena, s, len)))
			return nomem(ps);
		tags[i].line = yu_line(it);
		tags[i].col = yu_col(it);
	}
	*out = tags;
	*count = n;
	return CT_OK;
}

static const char *const select_keys[] = { "index", "id", "match", "regex" };

static enum ct_status parse_step(struct parser *ps, yaml_node_t *m,
                                 struct plan_step *step)
{
	yaml_node_t *sel = NULL, *sel_key = NULL, *all = NULL, *type = NULL;
	yaml_node_t *add = NULL, *remove = NULL;
	enum ct_status st;
	const char *s;
	size_t len;

	if ((st = yu_expect_map(&ps->doc, m, "a cell step", ps->err)))
		return st;
	step->line = yu_line(m);
	step->col = yu_col(m);
	step->kind = -1;
	for (size_t i = 0; i < yu_map_count(m); i++) {
		yaml_node_t *k = yu_map_key(&ps->doc, m, i);
		yaml_node_t *v = yu_map_value(&ps->doc, m, i);
		const char *name = yu_scalar(k, NULL);
		size_t j;

		for (j = 0; j < 4; j++)
			if (strcmp(name, select_keys[j]) == 0)
				break;
		if (j < 4) {
			if (sel)
				return yu_error(&ps->doc, k, ps->err,
				                "a cell step takes one of index, id, match "
				                "or regex, not both '%s' and '%s'",
				                yu_scalar(sel_key, NULL), name);
			sel = v;
			sel_key = k;
			step->select = (enum plan_select)j;
		} else if (strcmp(name, "all") == 0) {
			all = k;
			if ((st = yu_get_bool(&ps->doc, v, "'all'", &step->all, ps->err)))
				return st;
		} else if (strcmp(name, "type") == 0) {
			type = k;
			if ((st = yu_get_str(&ps->doc, v, "'type'", &s, &len, ps->err)))
				return st;
			if (strcmp(s, "code") == 0)
				step->kind = NB_CODE;
			else if (strcmp(s, "markdown") == 0)
				step->kind = NB_MARKDOWN;
			else if (strcmp(s, "raw") == 0)
				step->kind = NB_RAW;
			else
				return yu_error(&ps->doc, v, ps->err,
				                "'type' must be code, markdown or raw");
		} else if (strcmp(name, "add") == 0) {
			add = v;
		} else if (strcmp(name, "remove") == 0) {
			remove = v;
		} else {
			return unknown_key(ps, k, "a cell step",
			                   "index, id, match, regex, type, all, add, remove");
		}
	}
	if (!sel)
		return yu_error(&ps->doc, m, ps->err,
		                "a cell step needs one of index, id, match or regex");
	step->sel_line = yu_line(sel);
	step->sel_col = yu_col(sel);
	if ((all || type) && step->select != PLAN_BY_MATCH &&
	    step->select != PLAN_BY_REGEX)
		return yu_error(&ps->doc, all ? all : type, ps->err,
		                "'%s' only goes with match or regex",
		                all ? "all" : "type");
	if (step->select == PLAN_BY_INDEX) {
		if ((st = yu_get_index(&ps->doc, sel, "'index'", &step->index, ps->err)))
			return st;
	} else {
		const char *what = step->select == PLAN_BY_ID ? "'id'" :
		                   step->select == PLAN_BY_MATCH ? "'match'" : "'regex'";
		if ((st = yu_get_str(&ps->doc, sel, what, &s, &len, ps->err)))
			return st;
		if (len == 0)
			return yu_error(&ps->doc, sel, ps->err, "%s must not be empty", what);
		if (!(step->text = arena_strndup(ps->plan->arena, s, len)))
			return nomem(ps);
	}
	if (step->select == PLAN_BY_REGEX) {
		regex_t *re = malloc(sizeof *re);
		int rc;
		if (!re)
			return nomem(ps);
		/* REG_NEWLINE: ^ and $ match at line ends, as in an editor. */
		rc = regcomp(re, step->text, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);
		if (rc != 0) {
			char buf[160];
			regerror(rc, re, buf, sizeof buf);
			free(re);
			return yu_error(&ps->doc, sel, ps->err,
			                "invalid regular expression: %s", buf);
		}
		step->regex_ = re;
	}
	if (!add && !remove)
		return yu_error(&ps->doc, m, ps->err,
		                "a cell step needs 'add' or 'remove'");
	if (add && (st = parse_tags(ps, add, "'add'", true, &step->add, &step->nadd)))
		return st;
	if (remove && (st = parse_tags(ps, remove, "'remove'", false,
	                               &step->remove, &step->nremove)))
		return st;
	if (step->nadd + step->nremove == 0)
		return yu_error(&ps->doc, m, ps->err,
		                "a cell step needs at least one tag to add or remove");
	for (size_t i = 0; i < step->nremove; i++)
		for (size_t j = 0; j < step->nadd; j++)
			if (strcmp(step->remove[i].tag, step->add[j].tag) == 0) {
				char buf[80];
				return ct_error_set_at(ps->err, CT_PLAN, ps->doc.name,
				                       step->remove[i].line,
				                       step->remove[i].col,
				                       "tag '%s' is both added (line %ld) "
				                       "and removed",
				                       msg_text(step->add[j].tag, buf,
				                                sizeof buf),
				                       step->add[j].line);
			}
	return CT_OK;
}

static enum ct_status parse_notebook(struct parser *ps, yaml_node_t *m,
                                     struct plan_notebook *pn)
{
	yaml_node_t *path = NULL, *cells = NULL;
	enum ct_status st;
	const char *s;
	size_t len, n;

	if ((st = yu_expect_map(&ps->doc, m, "a notebook entry", ps->err)))
		return st;
	for (size_t i = 0; i < yu_map_count(m); i++) {
		yaml_node_t *k = yu_map_key(&ps->doc, m, i);
		const char *name = yu_scalar(k, NULL);
		if (strcmp(name, "path") == 0)
			path = yu_map_value(&ps->doc, m, i);
		else if (strcmp(name, "cells") == 0)
			cells = yu_map_value(&ps->doc, m, i);
		else
			return unknown_key(ps, k, "a notebook entry", "path, cells");
	}
	if (!path)
		return yu_error(&ps->doc, m, ps->err, "a notebook entry needs 'path'");
	if (!cells)
		return yu_error(&ps->doc, m, ps->err, "a notebook entry needs 'cells'");
	if ((st = yu_get_str(&ps->doc, path, "'path'", &s, &len, ps->err)))
		return st;
	if (len == 0)
		return yu_error(&ps->doc, path, ps->err, "'path' must not be empty");
	pn->line = yu_line(path);
	pn->col = yu_col(path);
	if (!(pn->path = arena_strndup(ps->plan->arena, s, len)))
		return nomem(ps);
	if (s[0] == '/' || !ps->base_dir || !ps->base_dir[0] ||
	    strcmp(ps->base_dir, ".") == 0) {
		pn->resolved = pn->path;
	} else {
		size_t bl = strlen(ps->base_dir);
		bool slash = ps->base_dir[bl - 1] != '/';
		char *r = arena_alloc(ps->plan->arena, bl + slash + len + 1);
		if (!r)
			return nomem(ps);
		memcpy(r, ps->base_dir, bl);
		if (slash)
			r[bl] = '/';
		memcpy(r + bl + slash, s, len + 1);
		pn->resolved = r;
	}
	if ((st = yu_expect_seq(&ps->doc, cells, "'cells'", ps->err)))
		return st;
	n = yu_seq_count(cells);
	if (!(pn->steps = arena_zalloc(ps->plan->arena, (n ? n : 1) *
	                               sizeof *pn->steps)))
		return nomem(ps);
	pn->nsteps = n;   /* only now: plan_free walks the array */
	for (size_t i = 0; i < pn->nsteps; i++)
		if ((st = parse_step(ps, yu_seq_item(&ps->doc, cells, i), &pn->steps[i])))
			return st;
	return CT_OK;
}

static enum ct_status parse_root(struct parser *ps)
{
	yaml_node_t *root = yu_root(&ps->doc), *list = NULL;
	struct plan *p = ps->plan;
	enum ct_status st;
	size_t n;

	if (!root || (root->type == YAML_SCALAR_NODE && yu_kind_of(root) == YU_NULL))
		return ct_error_set_at(ps->err, CT_PLAN, ps->doc.name, 1, 1,
		                       "the plan is empty (it needs 'notebooks:')");
	if ((st = yu_expect_map(&ps->doc, root, "the plan", ps->err)))
		return st;
	for (size_t i = 0; i < yu_map_count(root); i++) {
		yaml_node_t *k = yu_map_key(&ps->doc, root, i);
		if (strcmp(yu_scalar(k, NULL), "notebooks") == 0)
			list = yu_map_value(&ps->doc, root, i);
		else
			return unknown_key(ps, k, "the plan", "notebooks");
	}
	if (!list)
		return yu_error(&ps->doc, root, ps->err, "the plan needs 'notebooks:'");
	if ((st = yu_expect_seq(&ps->doc, list, "'notebooks'", ps->err)))
		return st;
	n = yu_seq_count(list);
	if (!(p->notebooks = arena_zalloc(p->arena, (n ? n : 1) *
	                                  sizeof *p->notebooks)))
		return nomem(ps);
	p->nnotebooks = n;   /* only now: plan_free walks the array */
	for (size_t i = 0; i < p->nnotebooks; i++)
		if ((st = parse_notebook(ps, yu_seq_item(&ps->doc, list, i),
		                         &p->notebooks[i])))
			return st;
	return CT_OK;
}

enum ct_status plan_parse(const char *data, size_t len, const char *name,
                          const char *base_dir, const struct ct_config *cfg,
                          struct plan **out, struct ct_error *err)
{
	struct parser ps = { .cfg = cfg, .base_dir = base_dir, .err = err };
	struct ct_arena *arena;
	enum ct_status st;

	*out = NULL;
	if (len > PLAN_MAX_SIZE)
		return ct_error_set(err, CT_TOOBIG, name, "plan larger than %zu bytes",
		                    PLAN_MAX_SIZE);
	if (!(arena = arena_new()))
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	if (!(ps.plan = arena_zalloc(arena, sizeof *ps.plan))) {
		arena_free(&arena);
		return ct_error_set(err, CT_NOMEM, name, "out of memory");
	}
	ps.plan->arena = arena;
	if (name && !(ps.plan->name = adup(arena, name))) {
		st = ct_error_set(err, CT_NOMEM, name, "out of memory");
		goto fail;
	}
	if ((st = yu_doc_load(&ps.doc, data, len, name, CT_PLAN, err)))
		goto fail;
	if ((st = parse_root(&ps)))
		goto fail;
	yu_doc_free(&ps.doc);
	*out = ps.plan;
	return CT_OK;
fail:
	yu_doc_free(&ps.doc);
	plan_free(&ps.plan);
	return st;
}

enum ct_status plan_load(const char *path, const struct ct_config *cfg,
                         struct plan **out, struct ct_error *err)
{
	char *data = NULL, *dir;
	const char *slash;
	size_t len = 0;
	enum ct_status st;

	*out = NULL;
	if ((st = yu_read_file(path, PLAN_MAX_SIZE, &data, &len, err)))
		return st;
	slash = strrchr(path, '/');
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir) {
		free(data);
		return ct_error_set(err, CT_NOMEM, path, "out of memory");
	}
	st = plan_parse(data, len, path, dir, cfg, out, err);
	free(dir);
	free(data);
	return st;
}

/* ---- prepare ---------------------------------------------------------- */

static bool cell_selected(const struct plan_step *step, const struct nb_cell *c)
{
	if (step->kind >= 0 && (int)c->kind != step->kind)
		return false;
	if (!c->source)
		return false;
	if (step->select == PLAN_BY_MATCH)
		return memmem(c->source, c->source_len, step->text,
		              strlen(step->text)) != NULL;
	{
		regmatch_t m[1];
		int flags = 0;
#ifdef REG_STARTEND
		/* Searches the whole source even past a NUL byte. */
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)c->source_len;
		flags = REG_STARTEND;
#endif
		return regexec(step->regex_, c->source, 1, m, flags) == 0;
	}
}

static const char *kind_word(int kind)
{
	switch (kind) {
	case NB_CODE:     return "code ";
	case NB_MARKDOWN: return "markdown ";
	case NB_RAW:      return "raw ";
	default:          return "";
	}
}

/* Indices of the cells a step selects into sel (room for ncells). */
static enum ct_status step_select(const struct plan *p,
                                  const struct plan_notebook *pn,
                                  const struct plan_step *step, size_t *sel,
                                  size_t *nsel, struct ct_error *err)
{
	const struct notebook *nb = pn->nb;
	char tbuf[80], nbuf[160];
	size_t n = 0;

	msg_text(pn->path, nbuf, sizeof nbuf);
	switch (step->select) {
	case PLAN_BY_INDEX:
		if (step->index >= nb->ncells)
			return ct_error_set_at(err, CT_PLAN, p->name,
			                       step->sel_line, step->sel_col,
			                       "no cell %zu in %s: it has %zu cells "
			                       "(indices start at 0)", step->index, nbuf,
			                       nb->ncells);
		sel[n++] = step->index;
		break;
	case PLAN_BY_ID:
		for (size_t i = 0; i < nb->ncells; i++)
			if (nb->cells[i].id && strcmp(nb->cells[i].id, step->text) == 0)
				sel[n++] = i;
		if (n == 0)
			return ct_error_set_at(err, CT_PLAN, p->name,
			                       step->sel_line, step->sel_col,
			                       "no cell with id '%s' in %s",
			                       msg_text(step->text, tbuf, sizeof tbuf), nbuf);
		/* Real files have duplicate ids (nbformat repairs them on
		 * load): never guess which one was meant. */
		if (n > 1)
			return ct_error_set_at(err, CT_PLAN, p->name,
			                       step->sel_line, step->sel_col,
			                       "id '%s' is not unique in %s (cells %zu and "
			                       "%zu): select by index instead",
			                       msg_text(step->text, tbuf, sizeof tbuf), nbuf,
			                       sel[0], sel[1]);
		break;
	case PLAN_BY_MATCH:
	case PLAN_BY_REGEX:
		for (size_t i = 0; i < nb->ncells; i++)
			if (cell_selected(step, &nb->cells[i]))
				sel[n++] = i;
		if (n == 0)
			return ct_error_set_at(err, CT_PLAN, p->name,
			                       step->sel_line, step->sel_col,
			                       step->select == PLAN_BY_MATCH ?
			                       "no %scell of %s contains \"%s\"" :
			                       "no %scell of %s matches /%s/",
			                       kind_word(step->kind), nbuf,
			                       msg_text(step->text, tbuf, sizeof tbuf));
		if (n > 1 && !step->all) {
			char list[64];
			size_t o = 0;
			for (size_t i = 0; i < n && i < 4; i++)
				o += (size_t)snprintf(list + o, sizeof list - o, "%s%zu",
				                      i ? ", " : "", sel[i]);
			if (n > 4)
				snprintf(list + o, sizeof list - o, ", ...");
			return ct_error_set_at(err, CT_PLAN, p->name,
			                       step->sel_line, step->sel_col,
			                       "%zu cells of %s match (cells %s): make it more "
			                       "specific or add 'all: true'", n, nbuf, list);
		}
		break;
	}
	*nsel = n;
	return CT_OK;
}

static enum ct_status step_apply(const struct plan *p,
                                 struct plan_notebook *pn,
                                 const struct plan_step *step,
                                 const size_t *sel, size_t nsel,
                                 struct ct_error *err)
{
	struct ct_error e;
	char ebuf[CT_ERR_MSG_MAX];
	enum ct_status st;

	for (size_t i = 0; i < nsel; i++) {
		for (size_t t = 0; t < step->nremove + step->nadd; t++) {
			bool adding = t >= step->nremove;
			const struct plan_tag *tag = adding ? &step->add[t - step->nremove]
			                                    : &step->remove[t];
			ct_error_clear(&e);
			st = adding ? notebook_tag_add(pn->nb, sel[i], tag->tag, NULL, &e)
			            : notebook_tag_remove(pn->nb, sel[i], tag->tag, NULL, &e);
			if (st == CT_NOMEM)
				return ct_error_set(err, CT_NOMEM, p->name, "out of memory");
			if (st != CT_OK)
				return ct_error_set_at(err, CT_PLAN, p->name,
				                       tag->line, tag->col,
				                       "cannot %s tag in cell %zu of %s: %s",
				                       adding ? "add" : "remove", sel[i],
				                       msg_text(pn->path, ebuf, 160),
				                       e.msg[0] ? e.msg : ct_status_message(st));
		}
	}
	return CT_OK;
}

enum ct_status plan_prepare(struct plan *p, struct ct_error *err)
{
	enum ct_status st = CT_OK;

	for (size_t i = 0; i < p->nnotebooks; i++) {
		struct plan_notebook *pn = &p->notebooks[i];
		struct ct_error e;
		size_t *sel;

		pn->state = PLAN_NB_PENDING;
		if (!pn->nb) {
			ct_error_clear(&e);
			st = notebook_load(pn->resolved, &pn->nb, &e);
			if (st == CT_NOMEM)
				return ct_error_set(err, CT_NOMEM, p->name, "out of memory");
			if (st != CT_OK) {
				char ebuf[CT_ERR_MSG_MAX + 64], clean[CT_ERR_MSG_MAX];
				ct_error_format(&e, ebuf, sizeof ebuf);
				return ct_error_set_at(err, CT_PLAN, p->name,
				                       pn->line, pn->col,
				                       "cannot load notebook: %s",
				                       msg_text(ebuf, clean, sizeof clean));
			}
		}
		for (size_t j = 0; j < i; j++) {
			const struct notebook *o = p->notebooks[j].nb;
			if (o && o->file.dev == pn->nb->file.dev &&
			    o->file.ino == pn->nb->file.ino)
				return ct_error_set_at(err, CT_PLAN, p->name,
				                       pn->line, pn->col,
				                       "this notebook is already listed at "
				                       "line %ld", p->notebooks[j].line);
		}
		if (!(sel = malloc((pn->nb->ncells ? pn->nb->ncells : 1) * sizeof *sel)))
			return ct_error_set(err, CT_NOMEM, p->name, "out of memory");
		for (size_t s = 0; s < pn->nsteps && st == CT_OK; s++) {
			size_t nsel = 0;
			st = step_select(p, pn, &pn->steps[s], sel, &nsel, err);
			if (st == CT_OK)
				st = step_apply(p, pn, &pn->steps[s], sel, nsel, err);
		}
		free(sel);
		if (st != CT_OK)
			return st;
		pn->state = notebook_modified(pn->nb) ? PLAN_NB_PENDING
		                                      : PLAN_NB_UNCHANGED;
	}
	return CT_OK;
}

size_t plan_changed_count(const struct plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nnotebooks; i++)
		if (p->notebooks[i].nb && notebook_modified(p->notebooks[i].nb))
			n++;
	return n;
}

/* ---- save ------------------------------------------------------------- */

enum ct_status plan_save(struct plan *p, const struct save_options *opts,
                         struct ct_error *err)
{
	struct save_options o = { 0 };
	enum ct_status st;
	size_t i;

	if (opts)
		o = *opts;
	o.path = NULL;
	for (i = 0; i < p->nnotebooks; i++) {
		struct plan_notebook *pn = &p->notebooks[i];
		if (!pn->nb)
			return ct_error_set(err, CT_USAGE, p->name,
			                    "plan_save before plan_prepare");
		pn->state = notebook_modified(pn->nb) ? PLAN_NB_NOT_WRITTEN
		                                      : PLAN_NB_UNCHANGED;
	}
	/* Look for conflicts everywhere first: one changed file should not
	 * leave the plan half applied. */
	if (!o.force)
		for (i = 0; i < p->nnotebooks; i++) {
			struct plan_notebook *pn = &p->notebooks[i];
			if (pn->state != PLAN_NB_NOT_WRITTEN)
				continue;
			if ((st = notebook_check_disk(pn->nb, err)) != CT_OK) {
				pn->state = PLAN_NB_FAILED;
				return st;
			}
		}
	for (i = 0; i < p->nnotebooks; i++) {
		struct plan_notebook *pn = &p->notebooks[i];
		if (pn->state != PLAN_NB_NOT_WRITTEN)
			continue;
		if ((st = notebook_save(&pn->nb, &o, false, err)) != CT_OK) {
			pn->state = PLAN_NB_FAILED;
			return st;
		}
		pn->state = PLAN_NB_WRITTEN;
	}
	return CT_OK;
}

void plan_free(struct plan **pp)
{
	struct plan *p;
	struct ct_arena *a;

	if (!pp || !(p = *pp))
		return;
	for (size_t i = 0; i < p->nnotebooks; i++) {
		struct plan_notebook *pn = &p->notebooks[i];
		for (size_t s = 0; s < pn->nsteps; s++)
			if (pn->steps[s].regex_) {
				regfree(pn->steps[s].regex_);
				free(pn->steps[s].regex_);
			}
		notebook_free(&pn->nb);
	}
	a = p->arena;   /* p lives in the arena */
	arena_free(&a);
	*pp = NULL;
}
