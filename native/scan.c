/*
 * The record scanner: validates a whole CloudTrail log file (`{"Records": [...]}`) as strict
 * JSON, as JSON.parse would, and reports where the few fields the profiler reads lie in it, so
 * that JavaScript never builds the rest (user agents, TLS details, response elements, ...).
 *
 * scan(buffer) returns an Int32Array with SLOTS triples (start, end, kind) per record, offsets
 * into the buffer, or null whenever the file is not exactly that shape of valid JSON: the caller
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
  S_SHAPE, /* (shape number, 0, 0): see shape() */
  SLOTS
};

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
  struct Shapes *shapes;
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

/* An array whose elements are checked and skipped. */
static void array(Scan *s) {
  if (++s->depth > MAX_DEPTH) { s->fail = 1; return; }
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == ']') { s->i++; s->depth--; return; }
  for (;;) {
    value(s);
    if (s->fail) return;
    skip_ws(s);
    if (s->i >= s->n) { s->fail = 1; return; }
    if (s->p[s->i] == ',') { s->i++; skip_ws(s); continue; }
    if (s->p[s->i] == ']') { s->i++; s->depth--; return; }
    s->fail = 1;
    return;
  }
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
 * An object. At a tracked level, each key named in its table records where its value lies; a
 * repeated key replaces the earlier value and everything nested under it, as in JSON.parse.
 */
static void object(Scan *s, int level) {
  if (++s->depth > MAX_DEPTH) { s->fail = 1; return; }
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == '}') { s->i++; s->depth--; return; }
  for (;;) {
    if (s->i >= s->n || s->p[s->i] != '"') { s->fail = 1; return; }
    size_t keyStart = s->i + 1;
    int keyEscaped = string(s);
    if (s->fail) return;
    size_t keyEnd = s->i - 1;
    skip_ws(s);
    if (s->i >= s->n || s->p[s->i] != ':') { s->fail = 1; return; }
    s->i++;
    skip_ws(s);
    const Key *key = NULL;
    if (level != L_NONE) {
      /* An escaped key may spell a tracked one: the record is left to JSON.parse. */
      if (keyEscaped) s->raw = 1;
      else key = find(level, s->p + keyStart, keyEnd - keyStart);
    }
    size_t start = s->i;
    if (key) {
      for (int k = key->slot; k <= key->last; k++) s->rec[k * 3 + 2] = K_ABSENT;
      if (key->child != L_NONE && start < s->n && s->p[start] == '{') {
        object(s, key->child);
        if (s->fail) return;
        set(s->rec + key->slot * 3, start, s->i, K_OBJECT);
      } else if (start < s->n && s->p[start] == '"') {
        int escaped = string(s);
        if (s->fail) return;
        set(s->rec + key->slot * 3, start, s->i, escaped ? K_ESCAPED : K_STRING);
      } else {
        value(s);
        if (s->fail) return;
        set(s->rec + key->slot * 3, start, s->i, K_OTHER);
      }
    } else {
      value(s);
      if (s->fail) return;
    }
    skip_ws(s);
    if (s->i >= s->n) { s->fail = 1; return; }
    if (s->p[s->i] == ',') { s->i++; skip_ws(s); continue; }
    if (s->p[s->i] == '}') { s->i++; s->depth--; return; }
    s->fail = 1;
    return;
  }
}

/*
 * Call shapes: records whose mapping inputs (role, region, event, request parameters,
 * resources, host header) are the same bytes map to the same actions and resources. Each
 * thread keeps one table of the shapes it has seen, so a shape's number means the same bytes
 * in every file that thread scans; the profiler maps a shape once. Bounded: when the table is
 * full it starts again empty, in a new generation, so a trail of ever-new requests costs a
 * fixed amount of memory and the shapes that repeat are soon learned again. A shape's number
 * is generation * MAX_SHAPES + index, so a number is never reused for other bytes (until the
 * generation wraps at 2^17, far beyond any cache of the caller's).
 */
static const int SHAPE_SLOTS[] = { S_ISSUER_ARN, S_AWS_REGION, S_EVENT_SOURCE, S_EVENT_NAME, S_REQUEST_PARAMETERS, S_RESOURCES, S_HOST_HEADER };
#define SHAPE_FIELDS (sizeof(SHAPE_SLOTS) / sizeof(int))
#define MAX_SHAPES (1 << 13)
#define MAX_SHAPE_BYTES (4u << 20)
#define GENERATIONS (1 << 17)
#define TABLE_SIZE (MAX_SHAPES * 2)

typedef struct Shapes {
  uint64_t hash[TABLE_SIZE];
  int32_t id[TABLE_SIZE]; /* -1: empty */
  uint32_t offset[MAX_SHAPES + 1]; /* shape k's bytes are bytes[offset[k], offset[k + 1]) */
  uint8_t *bytes;
  uint32_t used;
  int32_t count;
  int32_t generation;
  uint8_t *key;
  size_t keyCap;
} Shapes;

static void shapes_free(napi_env env, void *data, void *hint) {
  Shapes *t = data;
  free(t->bytes);
  free(t->key);
  free(t);
}

static Shapes *shapes_for(napi_env env) {
  Shapes *t = NULL;
  if (napi_get_instance_data(env, (void **)&t) == napi_ok && t) return t;
  t = calloc(1, sizeof(Shapes));
  if (!t) return NULL;
  memset(t->id, 0xff, sizeof(t->id));
  if (napi_set_instance_data(env, t, shapes_free, NULL) != napi_ok) { free(t); return NULL; }
  return t;
}

/* The shape of the record in rec, or -1. Key: per field, its kind, its length, its bytes. */
static int32_t shape(Shapes *t, const uint8_t *p, const int32_t *rec) {
  size_t len = 0;
  for (size_t f = 0; f < SHAPE_FIELDS; f++) {
    const int32_t *slot = rec + SHAPE_SLOTS[f] * 3;
    len += 5 + (slot[2] == K_ABSENT ? 0 : (size_t)(slot[1] - slot[0]));
  }
  if (len > t->keyCap) {
    uint8_t *k = realloc(t->key, len * 2);
    if (!k) return -1;
    t->key = k;
    t->keyCap = len * 2;
  }
  uint8_t *k = t->key;
  uint64_t h = 1469598103934665603ull;
  size_t at = 0;
  for (size_t f = 0; f < SHAPE_FIELDS; f++) {
    const int32_t *slot = rec + SHAPE_SLOTS[f] * 3;
    uint32_t n = slot[2] == K_ABSENT ? 0 : (uint32_t)(slot[1] - slot[0]);
    k[at++] = (uint8_t)slot[2];
    memcpy(k + at, &n, 4);
    at += 4;
    if (n) memcpy(k + at, p + slot[0], n);
    at += n;
  }
  for (size_t i = 0; i < at; i++) h = (h ^ k[i]) * 1099511628211ull;
  size_t b = (size_t)(h % TABLE_SIZE);
  for (;;) {
    int32_t id = t->id[b];
    if (id < 0) break;
    if (t->hash[b] == h && t->offset[id + 1] - t->offset[id] == at && memcmp(t->bytes + t->offset[id], k, at) == 0) return t->generation * MAX_SHAPES + id;
    b = (b + 1) % TABLE_SIZE;
  }
  if (at > MAX_SHAPE_BYTES) return -1;
  if (t->count >= MAX_SHAPES || t->used + at > MAX_SHAPE_BYTES) {
    memset(t->id, 0xff, sizeof(t->id));
    t->count = 0;
    t->used = 0;
    t->generation = (t->generation + 1) % GENERATIONS;
    b = (size_t)(h % TABLE_SIZE);
  }
  if (!t->bytes) {
    t->bytes = malloc(MAX_SHAPE_BYTES);
    if (!t->bytes) return -1;
  }
  int32_t id = t->count++;
  memcpy(t->bytes + t->used, k, at);
  t->offset[id] = t->used;
  t->used += (uint32_t)at;
  t->offset[id + 1] = t->used;
  t->hash[b] = h;
  t->id[b] = id;
  /* A shape seen once is not worth remembering a mapping for: most one-off requests stay so. */
  return -1;
}

typedef struct { int32_t *v; size_t len, cap; } Out;

static int32_t *grow(Out *o) {
  if (o->len + SLOTS * 3 > o->cap) {
    size_t cap = o->cap ? o->cap * 2 : SLOTS * 3 * 256;
    int32_t *v = realloc(o->v, cap * sizeof(int32_t));
    if (!v) return NULL;
    o->v = v;
    o->cap = cap;
  }
  int32_t *rec = o->v + o->len;
  memset(rec, 0, SLOTS * 3 * sizeof(int32_t));
  o->len += SLOTS * 3;
  return rec;
}

/* The Records array: one slot row per element. Returns 0 on anything but valid JSON. */
static int records(Scan *s, Out *o) {
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == ']') { s->i++; return 1; }
  for (;;) {
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
      rec[S_SHAPE * 3] = s->raw || !s->shapes ? -1 : shape(s->shapes, s->p, rec);
    } else {
      value(s);
      if (s->fail) return 0;
      set(rec, start, s->i, K_RAW);
      rec[S_SHAPE * 3] = -1;
    }
    skip_ws(s);
    if (s->i >= s->n) return 0;
    if (s->p[s->i] == ',') { s->i++; skip_ws(s); continue; }
    if (s->p[s->i] == ']') { s->i++; return 1; }
    return 0;
  }
}

/* The whole document: one object with exactly one "Records" key, an array. */
static int document(Scan *s, Out *o) {
  int seen = 0;
  skip_ws(s);
  if (s->i >= s->n || s->p[s->i] != '{') return 0;
  s->depth = 1;
  s->i++;
  skip_ws(s);
  if (s->i < s->n && s->p[s->i] == '}') return 0;
  for (;;) {
    if (s->i >= s->n || s->p[s->i] != '"') return 0;
    size_t keyStart = s->i + 1;
    if (string(s)) return 0; /* an escaped key might spell Records */
    if (s->fail) return 0;
    size_t len = s->i - 1 - keyStart;
    skip_ws(s);
    if (s->i >= s->n || s->p[s->i] != ':') return 0;
    s->i++;
    skip_ws(s);
    if (len == 7 && memcmp(s->p + keyStart, "Records", 7) == 0) {
      if (seen++ || s->i >= s->n || s->p[s->i] != '[') return 0;
      if (!records(s, o)) return 0;
    } else {
      value(s);
      if (s->fail) return 0;
    }
    skip_ws(s);
    if (s->i >= s->n) return 0;
    if (s->p[s->i] == ',') { s->i++; skip_ws(s); continue; }
    if (s->p[s->i] == '}') { s->i++; break; }
    return 0;
  }
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
  Scan s = { (const uint8_t *)data, length, 0, 0, 0, 0, NULL, shapes_for(env) };
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

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_value slots;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, Scan_, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  napi_create_int32(env, SLOTS, &slots);
  napi_set_named_property(env, exports, "slots", slots);
  return exports;
}
