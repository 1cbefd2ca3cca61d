/*
 * The record scanner: validates a whole CloudTrail log file (`{"Records": [...]}`) as strict
 * JSON, as JSON.parse would, and reports where the few fields the profiler reads lie in it, so
 * that JavaScript never builds the rest (user agents, TLS details, response elements, ...).
 *
 * scan(buffer) returns an Int32Array with SLOTS quadruples (start, end, kind, number) per record,
 * offsets into the buffer, or null whenever the file is not exactly that shape of valid JSON: the caller
 * then takes the JSON.parse path, which also words the error. So null is always safe, and a
 * result is only returned when it means what JSON.parse's would.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Kinds; the values are mirrored in src/ingest/scan.ts. */
enum { K_ABSENT = 0, K_STRING = 1, K_ESCAPED = 2, K_OTHER = 3, K_OBJECT = 4, K_RAW = 5 };

/* Slots; mirrored in src/ingest/scan.ts. Slot 0 is the record itself. */
enum {
  S_RECORD,
  S_EVENT_TYPE, S_EVENT_CATEGORY, S_EVENT_SOURCE, S_EVENT_NAME, S_EVENT_TIME, S_AWS_REGION,
  S_EVENT_ID, S_ERROR_CODE, S_ERROR_MESSAGE, S_MANAGEMENT_EVENT, S_REQUEST_PARAMETERS, S_RESOURCES,
  S_USER_IDENTITY, S_UID_TYPE, S_UID_INVOKED_BY, S_UID_ARN, S_UID_PRINCIPAL_ID, S_UID_SESSION_CONTEXT,
  S_SESSION_ISSUER, S_ISSUER_ARN, S_TLS_DETAILS, S_HOST_HEADER,
  S_SHAPE, /* its first int: the record's shape number, see shape() */
  SLOTS
};

/* Ints per slot: start, end, kind, and the number of a recurring string (else -1). */
#define WIDTH 4

/* Objects whose keys are looked at. */
enum { L_RECORD, L_IDENTITY, L_CONTEXT, L_ISSUER, L_TLS, L_NONE };

typedef struct { const char *name; size_t len; int slot; int child; int last; } Key;

#define KEY(s, slot, child, last) { s, sizeof(s) - 1, slot, child, last }
/* `last`: the last slot nested under this one, cleared when the key is seen again. */
static const Key RECORD_KEYS[] = {
  KEY("eventType", S_EVENT_TYPE, L_NONE, S_EVENT_TYPE),
  KEY("eventCategory", S_EVENT_CATEGORY, L_NONE, S_EVENT_CATEGORY),
  KEY("eventSource", S_EVENT_SOURCE, L_NONE, S_EVENT_SOURCE),
  KEY("eventName", S_EVENT_NAME, L_NONE, S_EVENT_NAME),
  KEY("eventTime", S_EVENT_TIME, L_NONE, S_EVENT_TIME),
  KEY("awsRegion", S_AWS_REGION, L_NONE, S_AWS_REGION),
  KEY("eventID", S_EVENT_ID, L_NONE, S_EVENT_ID),
  KEY("errorCode", S_ERROR_CODE, L_NONE, S_ERROR_CODE),
  KEY("errorMessage", S_ERROR_MESSAGE, L_NONE, S_ERROR_MESSAGE),
  KEY("managementEvent", S_MANAGEMENT_EVENT, L_NONE, S_MANAGEMENT_EVENT),
  KEY("requestParameters", S_REQUEST_PARAMETERS, L_NONE, S_REQUEST_PARAMETERS),
  KEY("resources", S_RESOURCES, L_NONE, S_RESOURCES),
  KEY("userIdentity", S_USER_IDENTITY, L_IDENTITY, S_ISSUER_ARN),
  KEY("tlsDetails", S_TLS_DETAILS, L_TLS, S_HOST_HEADER),
};
static const Key IDENTITY_KEYS[] = {
  KEY("type", S_UID_TYPE, L_NONE, S_UID_TYPE),
  KEY("invokedBy", S_UID_INVOKED_BY, L_NONE, S_UID_INVOKED_BY),
  KEY("arn", S_UID_ARN, L_NONE, S_UID_ARN),
  KEY("principalId", S_UID_PRINCIPAL_ID, L_NONE, S_UID_PRINCIPAL_ID),
  KEY("sessionContext", S_UID_SESSION_CONTEXT, L_CONTEXT, S_ISSUER_ARN),
};
static const Key CONTEXT_KEYS[] = { KEY("sessionIssuer", S_SESSION_ISSUER, L_ISSUER, S_ISSUER_ARN) };
static const Key ISSUER_KEYS[] = { KEY("arn", S_ISSUER_ARN, L_NONE, S_ISSUER_ARN) };
static const Key TLS_KEYS[] = { KEY("clientProvidedHostHeader", S_HOST_HEADER, L_NONE, S_HOST_HEADER) };

static const Key *const LEVEL_KEYS[] = { RECORD_KEYS, IDENTITY_KEYS, CONTEXT_KEYS, ISSUER_KEYS, TLS_KEYS };
static const size_t LEVEL_COUNT[] = {
  sizeof(RECORD_KEYS) / sizeof(Key), sizeof(IDENTITY_KEYS) / sizeof(Key), sizeof(CONTEXT_KEYS) / sizeof(Key),
  sizeof(ISSUER_KEYS) / sizeof(Key), sizeof(TLS_KEYS) / sizeof(Key),
};

/* Deeper documents are left to JSON.parse rather than to this thread's stack. */
#define MAX_DEPTH 256

typedef struct {
  const uint8_t *p;
  size_t n;
  size_t i;
  int depth;
  int fail;
  int raw;       /* the current record has a key with an escape: JavaScript parses it whole */
  int32_t *rec;  /* the current record's slots */
  struct Tables *tables;
} Scan;

static inline void skip_ws(Scan *s) {
  while (s->i < s->n) {
    uint8_t c = s->p[s->i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
    s->i++;
  }
}

static inline int hex(uint8_t c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* At an opening quote; leaves i after the closing one. Returns 1 when it held an escape. */
static int string(Scan *s) {
  int escaped = 0;
  size_t i = s->i + 1;
  const uint8_t *p = s->p;
  const size_t n = s->n;
  for (;;) {
#ifdef __SSE2__
    /* Sixteen bytes at a time to the first quote, backslash or control character. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1f);
    while (i + 16 <= n) {
      __m128i x = _mm_loadu_si128((const __m128i *)(p + i));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), _mm_cmpeq_epi8(_mm_max_epu8(x, control), control));
      int mask = _mm_movemask_epi8(hit);
      if (mask) { i += (size_t)__builtin_ctz((unsigned)mask); break; }
      i += 16;
    }
#endif
    while (i < n && p[i] != '"' && p[i] != '\\' && p[i] >= 0x20) i++;
    if (i >= n || p[i] < 0x20) { s->fail = 1; return 0; }
    if (p[i] == '"') break;
    escaped = 1;
    if (i + 1 >= n) { s->fail = 1; return 0; }
    switch (p[i + 1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': i += 2; break;
      case 'u':
        if (i + 5 >= n || !hex(p[i + 2]) || !hex(p[i + 3]) || !hex(p[i + 4]) || !hex(p[i + 5])) { s->fail = 1; return 0; }
        i += 6;
        break;
      default: s->fail = 1; return 0;
    }
  }
  s->i = i + 1;
  return escaped;
}

static void number(Scan *s) {
  const uint8_t *p = s->p;
  size_t i = s->i;
  const size_t n = s->n;
  if (i < n && p[i] == '-') i++;
  if (i >= n) { s->fail = 1; return; }
  if (p[i] == '0') i++;
  else if (p[i] >= '1' && p[i] <= '9') { while (i < n && p[i] >= '0' && p[i] <= '9') i++; }
  else { s->fail = 1; return; }
  if (i < n && p[i] == '.') {
    i++;
    if (i >= n || p[i] < '0' || p[i] > '9') { s->fail = 1; return; }
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    if (i >= n || p[i] < '0' || p[i] > '9') { s->fail = 1; return; }
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
  }
  s->i = i;
}

static void literal(Scan *s, const char *word, size_t len) {
  if (s->n - s->i < len || memcmp(s->p + s->i, word, len) != 0) { s->fail = 1; return; }
  s->i += len;
}

static void value(Scan *s);
static void object(Scan *s, int level);

/* At an opening bracket or brace: steps in, and out again when the container is empty (true). */
static int opens_empty(Scan *s, uint8_t close) {
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == close) {
    s->i++;
    return 1;
  }
  return 0;
}

/* After a member: true when a comma leads to another; steps out at `close`; anything else fails. */
static int more(Scan *s, uint8_t close) {
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == ',') {
    s->i++;
    skip_ws(s);
    return 1;
  }
  if (s->i < s->n && s->p[s->i] == close) s->i++;
  else s->fail = 1;
  return 0;
}

/* A member's key and colon. Returns whether the key held an escape; its bytes are [*start, *end). */
static int member_key(Scan *s, size_t *start, size_t *end) {
  if (s->i >= s->n || s->p[s->i] != '"') { s->fail = 1; return 0; }
  *start = s->i + 1;
  int escaped = string(s);
  if (s->fail) return 0;
  *end = s->i - 1;
  skip_ws(s);
  if (s->i >= s->n || s->p[s->i] != ':') { s->fail = 1; return 0; }
  s->i++;
  skip_ws(s);
  return escaped;
}

/* An array whose elements are checked and skipped. */
static void array(Scan *s) {
  if (++s->depth > MAX_DEPTH) { s->fail = 1; return; }
  if (!opens_empty(s, ']')) do value(s); while (!s->fail && more(s, ']'));
  s->depth--;
}

/* Any value, checked and skipped. Leading whitespace is already skipped. */
static void value(Scan *s) {
  if (s->i >= s->n) { s->fail = 1; return; }
  switch (s->p[s->i]) {
    case '"': string(s); return;
    case '{': object(s, L_NONE); return;
    case '[': array(s); return;
    case 't': literal(s, "true", 4); return;
    case 'f': literal(s, "false", 5); return;
    case 'n': literal(s, "null", 4); return;
    default: number(s); return;
  }
}

static inline void set(int32_t *slot, size_t start, size_t end, int kind) {
  slot[0] = (int32_t)start;
  slot[1] = (int32_t)end;
  slot[2] = kind;
}

static const Key *find(int level, const uint8_t *name, size_t len) {
  const Key *keys = LEVEL_KEYS[level];
  for (size_t k = 0; k < LEVEL_COUNT[level]; k++) {
    if (keys[k].len == len && memcmp(keys[k].name, name, len) == 0) return &keys[k];
  }
  return NULL;
}

/*
 * One member of an object. At a tracked level, a key named in its table records where its value
 * lies; a repeated key replaces the earlier value and everything nested under it, as in
 * JSON.parse.
 */
static void member(Scan *s, int level) {
  size_t keyStart = 0, keyEnd = 0;
  int keyEscaped = member_key(s, &keyStart, &keyEnd);
  if (s->fail) return;
  const Key *key = NULL;
  if (level != L_NONE) {
    /* An escaped key may spell a tracked one: the record is left to JSON.parse. */
    if (keyEscaped) s->raw = 1;
    else key = find(level, s->p + keyStart, keyEnd - keyStart);
  }
  if (!key) {
    value(s);
    return;
  }
  size_t start = s->i;
  for (int k = key->slot; k <= key->last; k++) s->rec[k * WIDTH + 2] = K_ABSENT;
  int kind;
  if (key->child != L_NONE && start < s->n && s->p[start] == '{') {
    object(s, key->child);
    kind = K_OBJECT;
  } else if (start < s->n && s->p[start] == '"') {
    kind = string(s) ? K_ESCAPED : K_STRING;
  } else {
    value(s);
    kind = K_OTHER;
  }
  if (!s->fail) set(s->rec + key->slot * WIDTH, start, s->i, kind);
}

static void object(Scan *s, int level) {
  if (++s->depth > MAX_DEPTH) { s->fail = 1; return; }
  if (!opens_empty(s, '}')) do member(s, level); while (!s->fail && more(s, '}'));
  s->depth--;
}

/*
 * Numbering tables. Each thread keeps two, so a number means the same bytes in every file that
 * thread scans:
 * - call shapes: records whose mapping inputs (role, region, event, request parameters,
 *   resources, host header) are the same bytes map to the same actions and resources, so the
 *   profiler maps a shape once;
 * - strings: the names that recur in every record (event source and name, role, session,
 *   region), so JavaScript makes each one string once, already hashed for its lookups.
 * Bytes get a number from their second sighting: one-off requests and names cost nothing in
 * JavaScript. Bounded: when a table is full it starts again empty, in a new generation, so a
 * trail of ever-new values costs a fixed amount of memory and the ones that repeat are soon
 * learned again. A number is generation * MAX_ENTRIES + index, so it never stands for other
 * bytes: after the last generation (2^17 of them, 2^30 distinct values seen by one thread) the
 * table keeps what it holds and numbers nothing new, rather than reuse a number.
 */
#define MAX_ENTRIES (1 << 13) /* NUMBERS_PER_GENERATION in src/ingest/scan.ts */
#define GENERATIONS (1 << 17)
#define TABLE_SIZE (MAX_ENTRIES * 2)
#define SHAPE_BYTES (4u << 20)
#define STRING_BYTES (1u << 20)

typedef struct {
  uint64_t hash[TABLE_SIZE];
  int32_t id[TABLE_SIZE]; /* -1: empty */
  uint32_t offset[MAX_ENTRIES + 1]; /* entry k's bytes are bytes[offset[k], offset[k + 1]) */
  uint8_t *bytes;
  uint32_t capacity;
  uint32_t used;
  int32_t count;
  int32_t generation;
  int32_t generations; /* GENERATIONS, or fewer for a test (limitGenerations) */
} Table;

struct Tables {
  Table shapes;
  Table strings;
  uint8_t *key; /* a shape's key, built here */
  size_t keyCap;
};

static void tables_free(napi_env env, void *data, void *hint) {
  struct Tables *t = data;
  free(t->shapes.bytes);
  free(t->strings.bytes);
  free(t->key);
  free(t);
}

static struct Tables *tables_for(napi_env env) {
  struct Tables *t = NULL;
  if (napi_get_instance_data(env, (void **)&t) == napi_ok && t) return t;
  t = calloc(1, sizeof(struct Tables));
  if (!t) return NULL;
  memset(t->shapes.id, 0xff, sizeof(t->shapes.id));
  memset(t->strings.id, 0xff, sizeof(t->strings.id));
  t->shapes.capacity = SHAPE_BYTES;
  t->strings.capacity = STRING_BYTES;
  t->shapes.generations = t->strings.generations = GENERATIONS;
  if (napi_set_instance_data(env, t, tables_free, NULL) != napi_ok) { free(t); return NULL; }
  return t;
}

/* Eight bytes a step; a hash only picks the bucket, equality is checked byte by byte. */
static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
  uint64_t w;
  for (; n >= 8; p += 8, n -= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

/* The number of these bytes, or -1 the first time they are seen (or if they cannot be kept). */
static int32_t number_of(Table *t, const uint8_t *key, size_t len) {
  uint64_t h = hash_bytes(key, len);
  size_t b = (size_t)(h & (TABLE_SIZE - 1));
  for (int32_t id; (id = t->id[b]) >= 0; b = (b + 1) & (TABLE_SIZE - 1)) {
    if (t->hash[b] == h && t->offset[id + 1] - t->offset[id] == len && memcmp(t->bytes + t->offset[id], key, len) == 0) return t->generation * MAX_ENTRIES + id;
  }
  if (len > t->capacity) return -1;
  if (t->count >= MAX_ENTRIES || t->used + len > t->capacity) {
    if (t->generation + 1 >= t->generations) return -1;
    memset(t->id, 0xff, sizeof(t->id));
    t->count = 0;
    t->used = 0;
    t->generation++;
    b = (size_t)(h & (TABLE_SIZE - 1));
  }
  if (!t->bytes && !(t->bytes = malloc(t->capacity))) return -1;
  int32_t id = t->count++;
  memcpy(t->bytes + t->used, key, len);
  t->offset[id] = t->used;
  t->used += (uint32_t)len;
  t->offset[id + 1] = t->used;
  t->hash[b] = h;
  t->id[b] = id;
  return -1;
}

static const int SHAPE_SLOTS[] = { S_ISSUER_ARN, S_AWS_REGION, S_EVENT_SOURCE, S_EVENT_NAME, S_REQUEST_PARAMETERS, S_RESOURCES, S_HOST_HEADER };
#define SHAPE_FIELDS (sizeof(SHAPE_SLOTS) / sizeof(int))

/* The record's shape. Key: per field, its kind, its length, its bytes. */
static int32_t shape(struct Tables *t, const uint8_t *p, const int32_t *rec) {
  size_t len = 0;
  for (size_t f = 0; f < SHAPE_FIELDS; f++) {
    const int32_t *slot = rec + SHAPE_SLOTS[f] * WIDTH;
    len += 5 + (slot[2] == K_ABSENT ? 0 : (size_t)(slot[1] - slot[0]));
  }
  if (len > t->keyCap) {
    uint8_t *k = realloc(t->key, len * 2);
    if (!k) return -1;
    t->key = k;
    t->keyCap = len * 2;
  }
  uint8_t *k = t->key;
  size_t at = 0;
  for (size_t f = 0; f < SHAPE_FIELDS; f++) {
    const int32_t *slot = rec + SHAPE_SLOTS[f] * WIDTH;
    uint32_t n = slot[2] == K_ABSENT ? 0 : (uint32_t)(slot[1] - slot[0]);
    k[at++] = (uint8_t)slot[2];
    memcpy(k + at, &n, 4);
    at += 4;
    if (n) memcpy(k + at, p + slot[0], n);
    at += n;
  }
  return number_of(&t->shapes, k, at);
}

/* Strings that recur from record to record; times, ids and messages mostly do not. */
static const int STRING_SLOTS[] = {
  S_EVENT_TYPE, S_EVENT_CATEGORY, S_EVENT_SOURCE, S_EVENT_NAME, S_AWS_REGION, S_ERROR_CODE, S_UID_TYPE,
  S_UID_INVOKED_BY, S_UID_ARN, S_UID_PRINCIPAL_ID, S_ISSUER_ARN, S_HOST_HEADER,
};

/* Numbers the record's recurring strings (each slot's fourth int; -1 for none) and its shape. */
static void number_record(struct Tables *t, const uint8_t *p, int32_t *rec) {
  for (size_t f = 0; f < sizeof(STRING_SLOTS) / sizeof(int); f++) {
    int32_t *slot = rec + STRING_SLOTS[f] * WIDTH;
    if (slot[2] == K_STRING) slot[3] = number_of(&t->strings, p + slot[0] + 1, (size_t)(slot[1] - slot[0] - 2));
  }
  rec[S_SHAPE * WIDTH] = shape(t, p, rec);
}

typedef struct { int32_t *v; size_t len, cap; } Out;

static int32_t *grow(Out *o) {
  if (o->len + SLOTS * WIDTH > o->cap) {
    size_t cap = o->cap ? o->cap * 2 : SLOTS * WIDTH * 256;
    int32_t *v = realloc(o->v, cap * sizeof(int32_t));
    if (!v) return NULL;
    o->v = v;
    o->cap = cap;
  }
  int32_t *rec = o->v + o->len;
  for (int k = 0; k < SLOTS; k++) {
    rec[k * WIDTH] = rec[k * WIDTH + 1] = rec[k * WIDTH + 2] = 0;
    rec[k * WIDTH + 3] = -1;
  }
  rec[S_SHAPE * WIDTH] = -1;
  o->len += SLOTS * WIDTH;
  return rec;
}

/* The Records array: one slot row per element. Returns 0 on anything but valid JSON. */
static int records(Scan *s, Out *o) {
  if (opens_empty(s, ']')) return 1;
  do {
    size_t start = s->i;
    int32_t *rec = grow(o);
    if (!rec) return 0;
    if (start < s->n && s->p[start] == '{') {
      s->rec = rec;
      s->raw = 0;
      object(s, L_RECORD);
      if (s->fail) return 0;
      /* o->v may have moved in grow, but not since rec was taken. */
      set(rec, start, s->i, s->raw ? K_RAW : K_OBJECT);
      if (!s->raw && s->tables) number_record(s->tables, s->p, rec);
    } else {
      value(s);
      if (s->fail) return 0;
      set(rec, start, s->i, K_RAW);
    }
  } while (more(s, ']'));
  return !s->fail;
}

/* The whole document: one object with exactly one "Records" key, an array. */
static int document(Scan *s, Out *o) {
  int seen = 0;
  skip_ws(s);
  if (s->i >= s->n || s->p[s->i] != '{') return 0;
  s->depth = 1;
  if (opens_empty(s, '}')) return 0;
  do {
    size_t start = 0, end = 0;
    /* An escaped key might spell Records. */
    if (member_key(s, &start, &end) || s->fail) return 0;
    if (end - start == 7 && memcmp(s->p + start, "Records", 7) == 0) {
      if (seen++ || s->i >= s->n || s->p[s->i] != '[' || !records(s, o)) return 0;
    } else {
      value(s);
      if (s->fail) return 0;
    }
  } while (more(s, '}'));
  if (s->fail) return 0;
  skip_ws(s);
  return seen && s->i == s->n;
}

static napi_value Scan_(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  napi_get_null(env, &result);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return result;
  void *data;
  size_t length;
  if (napi_get_buffer_info(env, argv[0], &data, &length) != napi_ok) return result;
  if (length > INT32_MAX) return result;
  Scan s = { (const uint8_t *)data, length, 0, 0, 0, 0, NULL, tables_for(env) };
  Out o = { NULL, 0, 0 };
  if (document(&s, &o)) {
    napi_value buffer;
    void *bytes;
    if (napi_create_arraybuffer(env, o.len * sizeof(int32_t), &bytes, &buffer) == napi_ok) {
      if (o.len) memcpy(bytes, o.v, o.len * sizeof(int32_t));
      napi_create_typedarray(env, napi_int32_array, o.len, buffer, 0, &result);
    }
  }
  free(o.v);
  return result;
}

/* limitGenerations(n): lets a test reach the last generation without 2^30 values. */
static napi_value LimitGenerations(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = GENERATIONS;
  struct Tables *t = tables_for(env);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc >= 1) napi_get_value_int32(env, argv[0], &n);
  if (t && n >= 1 && n <= GENERATIONS) t->shapes.generations = t->strings.generations = n;
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_value slots;
  napi_value width;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, Scan_, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  napi_create_int32(env, SLOTS, &slots);
  napi_set_named_property(env, exports, "slots", slots);
  napi_value limit;
  napi_create_function(env, "limitGenerations", NAPI_AUTO_LENGTH, LimitGenerations, NULL, &limit);
  napi_set_named_property(env, exports, "limitGenerations", limit);
  napi_create_int32(env, WIDTH, &width);
  napi_set_named_property(env, exports, "width", width);
  return exports;
}
