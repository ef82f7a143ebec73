// SPDX-License-Identifier: GPL-2.0
/*
 * json.c: a small JSON reader, enough for nsmctl's own reports (the
 * results that "nsmctl run --against FILE" compares with): objects,
 * arrays, strings with their escapes (\uXXXX below 0x80 only, as
 * nsmctl writes them), integers, true, false and null.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "nsmctl.h"

struct jparser {
	const char *s;
	const char *err;
};

static void skip_ws(struct jparser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

static struct json *jnew(enum json_type t)
{
	struct json *j = xcalloc(1, sizeof(*j));

	j->type = t;
	return j;
}

static struct json *parse_value(struct jparser *p, int depth);

static char *parse_string(struct jparser *p)
{
	struct sbuf b = { 0 };

	p->s++;			/* the opening quote */
	sb_add(&b, "");
	while (*p->s && *p->s != '"') {
		char c = *p->s++;

		if (c == '\\') {
			char e = *p->s++;
			char u[2] = { 0, 0 };

			switch (e) {
			case 'n': u[0] = '\n'; break;
			case 't': u[0] = '\t'; break;
			case 'r': u[0] = '\r'; break;
			case 'b': u[0] = '\b'; break;
			case 'f': u[0] = '\f'; break;
			case '/': case '\\': case '"': u[0] = e; break;
			case 'u': {
				unsigned int v;

				if (sscanf(p->s, "%4x", &v) != 1 || v >= 0x80 ||
				    !v) {
					p->err = "unsupported \\u escape";
					free(b.s);
					return NULL;
				}
				u[0] = (char)v;
				p->s += 4;
				break;
			}
			default:
				p->err = "bad escape";
				free(b.s);
				return NULL;
			}
			sb_add(&b, u);
		} else {
			char u[2] = { c, 0 };

			sb_add(&b, u);
		}
	}
	if (*p->s != '"') {
		p->err = "unterminated string";
		free(b.s);
		return NULL;
	}
	p->s++;
	return sb_take(&b);
}

static struct json *parse_value(struct jparser *p, int depth)
{
	struct json *j;

	if (depth > 32) {
		p->err = "nested too deep";
		return NULL;
	}
	skip_ws(p);
	if (*p->s == '{' || *p->s == '[') {
		int obj = *p->s == '{';

		j = jnew(obj ? J_OBJECT : J_ARRAY);
		p->s++;
		skip_ws(p);
		if (*p->s == (obj ? '}' : ']')) {
			p->s++;
			return j;
		}
		for (;;) {
			char *key = NULL;
			struct json *v;

			skip_ws(p);
			if (obj) {
				if (*p->s != '"') {
					p->err = "expected a key";
					break;
				}
				key = parse_string(p);
				if (!key)
					break;
				skip_ws(p);
				if (*p->s++ != ':') {
					p->err = "expected ':'";
					free(key);
					break;
				}
			}
			v = parse_value(p, depth + 1);
			if (!v) {
				free(key);
				break;
			}
			j->kids = xrealloc(j->kids, (j->nr + 1) * sizeof(*j->kids));
			j->keys = xrealloc(j->keys, (j->nr + 1) * sizeof(*j->keys));
			j->kids[j->nr] = v;
			j->keys[j->nr++] = key;
			skip_ws(p);
			if (*p->s == ',') {
				p->s++;
				continue;
			}
			if (*p->s == (obj ? '}' : ']')) {
				p->s++;
				return j;
			}
			p->err = "expected ',' or the end";
			break;
		}
		json_free(j);
		return NULL;
	}
	if (*p->s == '"') {
		char *s = parse_string(p);

		if (!s)
			return NULL;
		j = jnew(J_STRING);
		j->str = s;
		return j;
	}
	if (*p->s == '-' || isdigit((unsigned char)*p->s)) {
		char *end;

		j = jnew(J_NUMBER);
		j->num = strtoll(p->s, &end, 10);
		p->s = end;
		return j;
	}
	if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "false", 5)) {
		j = jnew(J_NUMBER);
		j->num = *p->s == 't';
		p->s += j->num ? 4 : 5;
		return j;
	}
	if (!strncmp(p->s, "null", 4)) {
		p->s += 4;
		return jnew(J_NULL);
	}
	p->err = "unexpected character";
	return NULL;
}

struct json *json_parse(const char *text, const char **err)
{
	struct jparser p = { .s = text };
	struct json *j = parse_value(&p, 0);

	if (j) {
		skip_ws(&p);
		if (*p.s) {
			p.err = "trailing text";
			json_free(j);
			j = NULL;
		}
	}
	if (!j && err)
		*err = p.err ? p.err : "bad JSON";
	return j;
}

void json_free(struct json *j)
{
	if (!j)
		return;
	for (int i = 0; i < j->nr; i++) {
		json_free(j->kids[i]);
		free(j->keys[i]);
	}
	free(j->kids);
	free(j->keys);
	free(j->str);
	free(j);
}

const struct json *json_get(const struct json *j, const char *key)
{
	if (!j || j->type != J_OBJECT)
		return NULL;
	for (int i = 0; i < j->nr; i++)
		if (!strcmp(j->keys[i], key))
			return j->kids[i];
	return NULL;
}

const char *json_str_of(const struct json *j)
{
	return j && j->type == J_STRING ? j->str : NULL;
}
