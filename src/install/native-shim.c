/*
 * npm's script shell during `safe-install`, in C: the same protocol and behaviour as shim.ts
 * (read that file first), without starting node for every lifecycle script (about 60 ms each on
 * a small machine). npm runs `<shim> -c "<script>"`; the shim asks the controller over the unix
 * socket in SAFE_INSTALL_CONTROL what to do, and either runs the confined command it is given
 * (relaying its output bounded and escaped, within a time limit) or relays the output of a script
 * the controller runs itself (isolate tier). It fails closed: without a reachable controller nothing
 * runs. Built on first use by src/install/native-shim.ts with the system C compiler; without one,
 * safe-install uses shim.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TAIL_UNITS 8192
#define MAX_LINE (16 * 1024 * 1024)

/* ---- small growable buffer ------------------------------------------------------------------ */
typedef struct { char *p; size_t n, cap; } buf;

static void die_oom(void) { static const char m[] = "safe-install: out of memory in the script shell\n"; (void)!write(2, m, sizeof m - 1); _exit(1); }
static void b_reserve(buf *b, size_t more) {
  if (b->n + more + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + more + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) die_oom();
  b->p = p; b->cap = cap;
}
static void b_add(buf *b, const char *s, size_t n) { b_reserve(b, n); memcpy(b->p + b->n, s, n); b->n += n; b->p[b->n] = 0; }
static void b_str(buf *b, const char *s) { b_add(b, s, strlen(s)); }
static void b_chr(buf *b, char c) { b_add(b, &c, 1); }
static void b_fmt(buf *b, const char *fmt, ...) {
  char tmp[64]; va_list ap; va_start(ap, fmt); int n = vsnprintf(tmp, sizeof tmp, fmt, ap); va_end(ap);
  if (n > 0) b_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
/* A JSON string literal (bytes >= 0x80 pass through: the controller decodes UTF-8). */
static void b_json(buf *b, const char *s, size_t n) {
  b_chr(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') { b_chr(b, '\\'); b_chr(b, (char)c); }
    else if (c == '\n') b_str(b, "\\n");
    else if (c < 0x20 || c == 0x7f) b_fmt(b, "\\u%04x", c);
    else b_chr(b, (char)c);
  }
  b_chr(b, '"');
}

/* ---- a minimal JSON reader for the controller's messages -------------------------------------- */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jv { jtype t; double num; int boolean; char *str; size_t len; struct jv *items; char **keys; size_t count; } jv;

static const char *jp; /* cursor */
static void ws(void) { while (*jp == ' ' || *jp == '\t' || *jp == '\n' || *jp == '\r') jp++; }
static int parse_value(jv *out, int depth);
static void put_utf8(buf *b, uint32_t cp) {
  if (cp < 0x80) b_chr(b, (char)cp);
  else if (cp < 0x800) { b_chr(b, (char)(0xc0 | (cp >> 6))); b_chr(b, (char)(0x80 | (cp & 0x3f))); }
  else if (cp < 0x10000) { b_chr(b, (char)(0xe0 | (cp >> 12))); b_chr(b, (char)(0x80 | ((cp >> 6) & 0x3f))); b_chr(b, (char)(0x80 | (cp & 0x3f))); }
  else { b_chr(b, (char)(0xf0 | (cp >> 18))); b_chr(b, (char)(0x80 | ((cp >> 12) & 0x3f))); b_chr(b, (char)(0x80 | ((cp >> 6) & 0x3f))); b_chr(b, (char)(0x80 | (cp & 0x3f))); }
}
static int hex4(const char *s, uint32_t *v) {
  *v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i]; *v <<= 4;
    if (c >= '0' && c <= '9') *v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') *v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') *v |= (uint32_t)(c - 'A' + 10);
    else return 0;
  }
  return 1;
}
static int parse_string(char **str, size_t *len) {
  if (*jp != '"') return 0;
  jp++;
  buf b = {0};
  b_reserve(&b, 0);
  while (*jp && *jp != '"') {
    if (*jp == '\\') {
      jp++;
      char e = *jp++;
      if (e == 'n') b_chr(&b, '\n'); else if (e == 't') b_chr(&b, '\t'); else if (e == 'r') b_chr(&b, '\r');
      else if (e == 'b') b_chr(&b, '\b'); else if (e == 'f') b_chr(&b, '\f');
      else if (e == '"' || e == '\\' || e == '/') b_chr(&b, e);
      else if (e == 'u') {
        uint32_t cp;
        if (!hex4(jp, &cp)) { free(b.p); return 0; }
        jp += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && jp[0] == '\\' && jp[1] == 'u') {
          uint32_t lo;
          if (hex4(jp + 2, &lo) && lo >= 0xdc00 && lo <= 0xdfff) { cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00); jp += 6; }
          else cp = 0xfffd;
        } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        put_utf8(&b, cp);
      } else { free(b.p); return 0; }
    } else b_chr(&b, *jp++);
  }
  if (*jp != '"') { free(b.p); return 0; }
  jp++;
  *str = b.p; *len = b.n;
  return 1;
}
static int parse_value(jv *out, int depth) {
  memset(out, 0, sizeof *out);
  if (depth > 32) return 0;
  ws();
  if (*jp == '"') { out->t = J_STR; return parse_string(&out->str, &out->len); }
  if (*jp == '{' || *jp == '[') {
    int obj = *jp == '{';
    out->t = obj ? J_OBJ : J_ARR;
    jp++; ws();
    size_t cap = 0;
    if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
    for (;;) {
      if (out->count == cap) {
        cap = cap ? cap * 2 : 8;
        out->items = realloc(out->items, cap * sizeof(jv));
        if (obj) out->keys = realloc(out->keys, cap * sizeof(char *));
        if (!out->items || (obj && !out->keys)) die_oom();
      }
      if (obj) {
        ws(); size_t kl;
        if (!parse_string(&out->keys[out->count], &kl)) return 0;
        ws(); if (*jp++ != ':') return 0;
      }
      if (!parse_value(&out->items[out->count], depth + 1)) return 0;
      out->count++;
      ws();
      if (*jp == ',') { jp++; continue; }
      if (*jp == (obj ? '}' : ']')) { jp++; return 1; }
      return 0;
    }
  }
  if (!strncmp(jp, "true", 4)) { out->t = J_BOOL; out->boolean = 1; jp += 4; return 1; }
  if (!strncmp(jp, "false", 5)) { out->t = J_BOOL; jp += 5; return 1; }
  if (!strncmp(jp, "null", 4)) { out->t = J_NULL; jp += 4; return 1; }
  char *end; out->num = strtod(jp, &end);
  if (end == jp) return 0;
  out->t = J_NUM; jp = end;
  return 1;
}
static void jv_free(jv *v) {
  if (v->t == J_STR) free(v->str);
  if (v->t == J_ARR || v->t == J_OBJ) {
    for (size_t i = 0; i < v->count; i++) { jv_free(&v->items[i]); if (v->keys) free(v->keys[i]); }
    free(v->items); free(v->keys);
  }
  memset(v, 0, sizeof *v);
}
static jv *get(jv *o, const char *key) {
  if (!o || o->t != J_OBJ) return NULL;
  for (size_t i = 0; i < o->count; i++) if (!strcmp(o->keys[i], key)) return &o->items[i];
  return NULL;
}
static const char *gets(jv *o, const char *key) { jv *v = get(o, key); return v && v->t == J_STR ? v->str : NULL; }
static double getn(jv *o, const char *key, double dflt) { jv *v = get(o, key); return v && v->t == J_NUM && v->num == v->num && v->num > -1e15 && v->num < 1e15 ? v->num : dflt; }
/* An exit code or similar small integer from the controller. */
static int geti(jv *o, const char *key, int dflt) { double v = getn(o, key, dflt); return v < -255 ? -255 : v > 255 ? 255 : (int)v; }
static int getb(jv *o, const char *key) { jv *v = get(o, key); return v && v->t == J_BOOL && v->boolean; }

/* ---- output relay: bounded, escaped, with a tail for the report -------------------------------- */
typedef struct {
  double limit; int escape; double forwarded, dropped; int started;
  unsigned char pend[3][4]; int npend[3]; /* per stream (1, 2): an incomplete UTF-8 sequence carried to its next chunk */
  char tail[TAIL_UNITS * 4]; size_t ntail; /* UTF-8 text: the last TAIL_UNITS UTF-16 units */
} relay;

/* The running script (if any) and its deadline: a write blocked by a reader that stopped reading (a
   pager, Ctrl-S) must not suspend the time limit or the controller's watch. */
static int sock = -1;
static pid_t child = -1;
static double deadline = 0;
static int deadline_hit = 0;
static double now_ms(void);
static void refuse(const char *message);

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    struct pollfd w[2] = { { .fd = fd, .events = POLLOUT }, { .fd = sock, .events = POLLRDHUP } };
    int wait = 1000;
    if (child > 0 && deadline > 0) {
      double left = deadline - now_ms();
      if (left <= 0) { if (!deadline_hit) { deadline_hit = 1; kill(child, SIGKILL); } }
      else if (left < wait) wait = (int)left + 1;
    }
    /* The controller is watched only while a script of ours runs (it may close right after a denial). */
    int watch = child > 0 && sock >= 0;
    int rc = poll(w, watch ? 2 : 1, wait);
    if (rc < 0 && errno != EINTR) return;
    if (rc > 0 && watch && (w[1].revents & (POLLRDHUP | POLLHUP | POLLERR))) {
      if (child > 0) kill(child, SIGKILL);
      refuse("the safe-install controller closed the connection; the script was stopped.");
    }
    if (rc <= 0 || !(w[0].revents & (POLLOUT | POLLERR | POLLHUP))) continue;
    /* At most PIPE_BUF after POLLOUT: a pipe or terminal takes it without blocking. */
    ssize_t k = write(fd, p, n < 4096 ? n : 4096);
    if (k < 0) { if (errno == EINTR || errno == EAGAIN) continue; return; } /* a closed stdout: drop, as node would */
    p += k; n -= (size_t)k;
  }
}
/* Keep the last TAIL_UNITS UTF-16 units of decoded text (as shim.ts's string slice), whole characters only. */
static size_t utf16_units(const char *p, size_t n) {
  size_t units = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if ((c & 0xc0) != 0x80) units += c >= 0xf0 ? 2 : 1;
  }
  return units;
}
static void keep_tail(relay *r, const char *p, size_t n) {
  if (r->ntail + n > sizeof r->tail) {
    /* make room: the tail buffer holds at most 4 bytes per unit, far more than the units kept */
    size_t cut = r->ntail + n - sizeof r->tail;
    if (cut > r->ntail) { p += cut - r->ntail; n -= cut - r->ntail; cut = r->ntail; }
    memmove(r->tail, r->tail + cut, r->ntail - cut); r->ntail -= cut;
  }
  memcpy(r->tail + r->ntail, p, n); r->ntail += n;
  /* drop whole characters from the front until at most TAIL_UNITS units remain */
  size_t units = utf16_units(r->tail, r->ntail), start = 0;
  while (units > TAIL_UNITS && start < r->ntail) {
    unsigned char c = (unsigned char)r->tail[start];
    size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    units -= c >= 0xf0 ? 2 : 1;
    start += len;
  }
  /* never start inside a character */
  while (start < r->ntail && ((unsigned char)r->tail[start] & 0xc0) == 0x80) start++;
  if (start) { memmove(r->tail, r->tail + start, r->ntail - start); r->ntail -= start; }
}
/* Decode one UTF-8 sequence at s[0..n) as the WHATWG decoder (and Node's) does: returns the bytes it
   consumes (0: incomplete, wait for more), *cp = U+FFFD for each maximal invalid subpart. */
static int utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  int need; uint32_t v; unsigned char lo = 0x80, hi = 0xbf;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xc2 && c <= 0xdf) { need = 1; v = c & 0x1f; }
  else if (c >= 0xe0 && c <= 0xef) { need = 2; v = c & 0x0f; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
  else if (c >= 0xf0 && c <= 0xf4) { need = 3; v = c & 0x07; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
  else { *cp = 0xfffd; return 1; }
  for (int i = 1; i <= need; i++) {
    if ((size_t)i >= n) return 0;
    if (s[i] < lo || s[i] > hi) { *cp = 0xfffd; return i; } /* the offending byte starts the next sequence */
    v = (v << 6) | (s[i] & 0x3f);
    lo = 0x80; hi = 0xbf;
  }
  *cp = v; return need + 1;
}
/* Escape decoded text as escapeForTerminal(…, { multiline: true }) does, dropping a CR before a newline. */
static void escape_into(buf *out, const uint32_t *cps, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if (c == '\n') b_chr(out, '\n');
    else if (c == '\t') b_chr(out, '\t');
    else if (c == '\r' && (i + 1 == n || cps[i + 1] == '\n')) continue;
    else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) b_fmt(out, "\\x%02x", c);
    else if (c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) b_fmt(out, "\\u%04x", c);
    else put_utf8(out, c);
  }
}
/* Relay one chunk of a stream to fd `to` (1 or 2). */
static void relay_chunk(relay *r, int to, const char *data, size_t n) {
  buf raw = {0};
  if (r->npend[to]) b_add(&raw, (const char *)r->pend[to], (size_t)r->npend[to]);
  b_add(&raw, data, n);
  r->npend[to] = 0;
  uint32_t *cps = malloc((raw.n + 1) * sizeof(uint32_t));
  if (!cps) die_oom();
  size_t ncp = 0, i = 0;
  buf text = {0};
  while (i < raw.n) {
    uint32_t cp; int len = utf8_next((unsigned char *)raw.p + i, raw.n - i, &cp);
    if (len == 0) { r->npend[to] = (int)(raw.n - i); memcpy(r->pend[to], raw.p + i, (size_t)r->npend[to]); break; }
    cps[ncp++] = cp; put_utf8(&text, cp); i += (size_t)len;
  }
  if (text.n) keep_tail(r, text.p, text.n);
  if (r->forwarded >= r->limit) r->dropped += (double)n;
  else {
    r->forwarded += (double)n;
    if (r->escape) { buf esc = {0}; escape_into(&esc, cps, ncp); if (esc.n) write_all(to, esc.p, esc.n); free(esc.p); }
    else if (text.n) write_all(to, text.p, text.n);
    if (r->forwarded >= r->limit) {
      char m[160]; int k = snprintf(m, sizeof m, "\n[safe-install: output limit of %.0f bytes reached; the rest is dropped]\n", r->limit);
      write_all(to, m, k < 0 ? 0 : (size_t)k < sizeof m ? (size_t)k : sizeof m - 1);
    }
  }
  free(cps); free(text.p); free(raw.p);
}

/* ---- the conversation with the controller ------------------------------------------------------ */
static int finished = 0;
static int exit_code = 0;
static relay iso_relay, run_relay; /* one state for both streams of a script, as in shim.ts */
static relay *iso = NULL;

void refuse(const char *message) {
  /* The script first: nothing may keep running unsupervised (and write_all no longer watches). */
  if (child > 0) kill(child, SIGKILL);
  child = -1;
  buf b = {0}; b_str(&b, "safe-install: "); b_str(&b, message); b_chr(&b, '\n');
  write_all(2, b.p, b.n);
  _exit(1);
}
static void send_line(buf *b) { b_chr(b, '\n'); write_all(sock, b->p, b->n); }
double now_ms(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6; }

static void send_done(int code, const char *signal, int timed_out, double duration, relay *r, const char *spawn_error) {
  buf b = {0};
  b_fmt(&b, "{\"type\":\"done\",\"exitCode\":%d,\"signal\":", code);
  if (signal) b_json(&b, signal, strlen(signal)); else b_str(&b, "null");
  b_str(&b, timed_out ? ",\"timedOut\":true" : ",\"timedOut\":false");
  b_fmt(&b, ",\"durationMs\":%.0f,\"outputTail\":", duration);
  b_json(&b, r ? r->tail : "", r ? r->ntail : 0);
  b_fmt(&b, ",\"outputDropped\":%.0f", r ? r->dropped : 0);
  if (spawn_error) { b_str(&b, ",\"spawnError\":"); b_json(&b, spawn_error, strlen(spawn_error)); }
  b_chr(&b, '}');
  send_line(&b);
  free(b.p);
}

static const char *signal_name(int sig) {
  switch (sig) {
    case SIGKILL: return "SIGKILL"; case SIGTERM: return "SIGTERM"; case SIGINT: return "SIGINT"; case SIGHUP: return "SIGHUP";
    case SIGSEGV: return "SIGSEGV"; case SIGABRT: return "SIGABRT"; case SIGPIPE: return "SIGPIPE"; case SIGQUIT: return "SIGQUIT";
    case SIGBUS: return "SIGBUS"; case SIGFPE: return "SIGFPE"; case SIGILL: return "SIGILL"; case SIGUSR1: return "SIGUSR1"; case SIGUSR2: return "SIGUSR2";
    case SIGALRM: return "SIGALRM"; case SIGTRAP: return "SIGTRAP"; case SIGXCPU: return "SIGXCPU"; case SIGSYS: return "SIGSYS";
    case SIGXFSZ: return "SIGXFSZ"; case SIGVTALRM: return "SIGVTALRM"; case SIGPROF: return "SIGPROF"; case SIGWINCH: return "SIGWINCH";
    case SIGIO: return "SIGIO"; case SIGPWR: return "SIGPWR"; case SIGSTKFLT: return "SIGSTKFLT"; case SIGTTIN: return "SIGTTIN";
    case SIGTTOU: return "SIGTTOU"; case SIGURG: return "SIGURG"; case SIGCHLD: return "SIGCHLD"; case SIGCONT: return "SIGCONT";
    case SIGSTOP: return "SIGSTOP"; case SIGTSTP: return "SIGTSTP";
    default: return "SIGKILL";
  }
}

/* Handle one controller message; `run` messages are executed by the caller. */
static jv pending_run; static int have_run = 0;
static void on_message(jv *m) {
  const char *type = gets(m, "type");
  if (!type) return;
  if (!strcmp(type, "deny")) {
    finished = 1;
    const char *msg = gets(m, "message");
    buf b = {0}; b_str(&b, msg ? msg : ""); b_chr(&b, '\n'); write_all(2, b.p, b.n); free(b.p);
    exit_code = geti(m, "exitCode", 1);
  } else if (!strcmp(type, "run")) {
    if (have_run) jv_free(&pending_run);
    pending_run = *m; have_run = 1;
    memset(m, 0, sizeof *m); /* ownership moves to pending_run */
  } else if (!strcmp(type, "kill")) {
    if (child > 0) kill(child, SIGKILL);
  } else if (!strcmp(type, "output")) {
    if (!iso) { iso = &iso_relay; iso->limit = getn(m, "outputLimit", 1e18); iso->escape = 1; }
    const char *stream = gets(m, "stream");
    jv *data = get(m, "data");
    if (data && data->t == J_STR) relay_chunk(iso, stream && !strcmp(stream, "stderr") ? 2 : 1, data->str, data->len);
  } else if (!strcmp(type, "exit")) {
    int timed_out = getb(m, "timedOut");
    if (timed_out) write_all(2, "safe-install: script killed after its time limit\n", 50);
    int code = geti(m, "code", 1);
    send_done(code, NULL, timed_out, getn(m, "durationMs", 0), iso, gets(m, "error"));
    exit_code = code;
  } else if (!strcmp(type, "ack")) {
    finished = 1;
  }
}

/* Read whatever the socket has; returns 0 when it closed. Complete lines become messages. */
static buf inbuf;
static int read_socket(void) {
  char tmp[65536];
  ssize_t n = read(sock, tmp, sizeof tmp);
  if (n < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
  if (n == 0) return 0;
  b_add(&inbuf, tmp, (size_t)n);
  if (inbuf.n > MAX_LINE) refuse("control message too long");
  char *nl;
  while (inbuf.n && (nl = memchr(inbuf.p, '\n', inbuf.n))) {
    *nl = 0;
    size_t used = (size_t)(nl - inbuf.p) + 1;
    if (nl != inbuf.p) {
      jp = inbuf.p; jv m;
      if (!parse_value(&m, 0)) refuse("malformed control message");
      on_message(&m);
      jv_free(&m);
    }
    memmove(inbuf.p, inbuf.p + used, inbuf.n - used);
    inbuf.n -= used;
  }
  return 1;
}

/* Run the command the controller built, bounded in time and output, and report how it ended. */
static void run_confined(jv *run) {
  const char *file = gets(run, "file");
  jv *args = get(run, "args"), *env = get(run, "env");
  const char *cwd = gets(run, "cwd");
  double timeout = getn(run, "timeoutMs", 600000);
  if (timeout < 0) timeout = 0;
  relay *r = &run_relay; /* one state for both streams */
  memset(r, 0, sizeof *r);
  r->limit = getn(run, "outputLimit", 1e18); r->escape = getb(run, "escapeOutput");
  if (!file) refuse("malformed run message");
  size_t nargs = args && args->t == J_ARR ? args->count : 0;
  char **argv = calloc(nargs + 2, sizeof(char *));
  size_t nenv = env && env->t == J_OBJ ? env->count : 0;
  char **envp = calloc(nenv + 1, sizeof(char *));
  if (!argv || !envp) die_oom();
  argv[0] = (char *)file;
  for (size_t i = 0; i < nargs; i++) argv[i + 1] = args->items[i].t == J_STR ? args->items[i].str : "";
  size_t k = 0;
  for (size_t i = 0; i < nenv; i++) {
    if (env->items[i].t != J_STR) continue;
    buf kv = {0}; b_str(&kv, env->keys[i]); b_chr(&kv, '='); b_add(&kv, env->items[i].str, env->items[i].len);
    envp[k++] = kv.p;
  }
  int outp[2], errp[2], execp[2];
  if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) || pipe2(execp, O_CLOEXEC)) refuse("cannot create pipes for the script");
  double started = now_ms();
  deadline = started + timeout; deadline_hit = 0;
  child = fork();
  if (child < 0) refuse("cannot start the script");
  if (child == 0) {
    signal(SIGPIPE, SIG_DFL);
    dup2(outp[1], 1); dup2(errp[1], 2);
#ifdef SYS_close_range
    /* Nothing but 0-2 reaches the script: descriptors npm or a launcher left open become close-on-exec. */
    syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
#endif
    if (cwd && chdir(cwd) != 0) { int e = errno; (void)!write(execp[1], &e, sizeof e); _exit(127); }
    execve(file, argv, envp);
    int e = errno; (void)!write(execp[1], &e, sizeof e);
    _exit(127);
  }
  close(outp[1]); close(errp[1]); close(execp[1]);
  int spawn_errno = 0;
  if (read(execp[0], &spawn_errno, sizeof spawn_errno) != sizeof spawn_errno) spawn_errno = 0;
  close(execp[0]);
  int fds_open = 2, timed_out = 0, status = 0;
#define TIMED_OUT (timed_out || deadline_hit)
  struct pollfd p[3];
  while (fds_open > 0) {
    p[0].fd = outp[0]; p[0].events = POLLIN; p[1].fd = errp[0]; p[1].events = POLLIN; p[2].fd = sock; p[2].events = POLLIN;
    double left = started + timeout - now_ms();
    if (left <= 0 && !timed_out) { timed_out = 1; kill(child, SIGKILL); }
    int rc = poll(p, 3, timed_out ? 1000 : (int)(left > 60000 ? 60000 : left + 1));
    if (rc < 0) { if (errno == EINTR) continue; break; }
    for (int i = 0; i < 2; i++) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char tmp[65536];
      ssize_t n = read(p[i].fd, tmp, sizeof tmp);
      if (n > 0) relay_chunk(r, i == 0 ? 1 : 2, tmp, (size_t)n);
      else if (n == 0 || (errno != EINTR && errno != EAGAIN)) { close(i == 0 ? outp[0] : errp[0]); if (i == 0) outp[0] = -1; else errp[0] = -1; fds_open--; }
    }
    if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
      /* The controller is gone: nothing may keep running unsupervised. */
      if (!read_socket()) { kill(child, SIGKILL); refuse("the safe-install controller closed the connection; the script was stopped."); }
    }
  }
  /* Both pipes closed: the script may still run (it closed its output); the time limit and the
     controller's messages still apply until it is gone. */
  for (;;) {
    pid_t w = waitpid(child, &status, WNOHANG);
    if (w == child || (w < 0 && errno != EINTR)) break;
    double left = started + timeout - now_ms();
    if (left <= 0 && !timed_out) { timed_out = 1; kill(child, SIGKILL); }
    struct pollfd ps = { .fd = sock, .events = POLLIN };
    if (poll(&ps, 1, 20) > 0 && !read_socket()) { kill(child, SIGKILL); refuse("the safe-install controller closed the connection; the script was stopped."); }
  }
  int code; const char *sig = NULL;
  if (WIFEXITED(status)) code = WEXITSTATUS(status);
  else { code = 128; sig = signal_name(WTERMSIG(status)); }
  char spawn_error[512]; const char *se = NULL;
  if (spawn_errno) {
    const char *names[] = { [ENOENT] = "ENOENT", [EACCES] = "EACCES", [ENOEXEC] = "ENOEXEC", [ENOTDIR] = "ENOTDIR", [E2BIG] = "E2BIG", [ENOMEM] = "ENOMEM", [ELOOP] = "ELOOP" };
    const char *name = spawn_errno < (int)(sizeof names / sizeof names[0]) && names[spawn_errno] ? names[spawn_errno] : strerror(spawn_errno);
    snprintf(spawn_error, sizeof spawn_error, "spawn %s %s", file, name);
    se = spawn_error; code = 127; sig = NULL;
  }
  if (TIMED_OUT) {
    timed_out = 1;
    code = 124;
    /* Math.round, as shim.ts prints it (printf would round half to even). */
    char m[120]; int n = snprintf(m, sizeof m, "safe-install: script killed after %lld s time limit\n", (long long)(timeout / 1000.0 + 0.5));
    write_all(2, m, n < 0 ? 0 : (size_t)n < sizeof m ? (size_t)n : sizeof m - 1);
  }
  child = -1; deadline = 0;
  send_done(code, sig, timed_out, now_ms() - started, r, se);
  exit_code = code;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  /* A closed 0, 1 or 2 would be taken by the control socket, and script output would reach the
     controller as messages: open /dev/null there first, as node does at start. */
  for (int fd = 0; fd <= 2; fd++) if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) { int n = open("/dev/null", O_RDWR); if (n != fd) _exit(1); }
  const char *path = getenv("SAFE_INSTALL_CONTROL");
  if (!path || !*path) refuse("refusing to run a lifecycle script: no safe-install controller (SAFE_INSTALL_CONTROL is not set). Run installs through `safe-install`, not npm with this script shell.");
  struct sockaddr_un addr; memset(&addr, 0, sizeof addr); addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) refuse("refusing to run a lifecycle script: the safe-install controller is unreachable (socket path too long).");
  strcpy(addr.sun_path, path);
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock >= 0 && sock <= 2) _exit(1);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    char m[300]; snprintf(m, sizeof m, "refusing to run a lifecycle script: the safe-install controller is unreachable (connect %s %s).", errno == ENOENT ? "ENOENT" : errno == ECONNREFUSED ? "ECONNREFUSED" : strerror(errno), path);
    refuse(m);
  }
  /* hello: cwd, argv (without the shim itself), environment, pid */
  buf hello = {0};
  char cwd[8192];
  if (!getcwd(cwd, sizeof cwd)) refuse("refusing to run a lifecycle script: cannot read the working directory.");
  b_str(&hello, "{\"type\":\"hello\",\"cwd\":"); b_json(&hello, cwd, strlen(cwd));
  b_str(&hello, ",\"argv\":[");
  for (int i = 1; i < argc; i++) { if (i > 1) b_chr(&hello, ','); b_json(&hello, argv[i], strlen(argv[i])); }
  b_str(&hello, "],\"env\":{");
  int first = 1;
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq || eq == *e) continue;
    /* A name set twice: the first wins, as getenv and node see it. */
    int seen = 0;
    for (char **f = environ; f < e && !seen; f++) seen = !strncmp(*f, *e, (size_t)(eq - *e) + 1);
    if (seen) continue;
    if (!first) b_chr(&hello, ',');
    first = 0;
    b_json(&hello, *e, (size_t)(eq - *e)); b_chr(&hello, ':'); b_json(&hello, eq + 1, strlen(eq + 1));
  }
  b_fmt(&hello, "},\"pid\":%d}", (int)getpid());
  send_line(&hello);
  free(hello.p);

  while (!finished) {
    if (have_run) { have_run = 0; run_confined(&pending_run); continue; }
    struct pollfd p = { .fd = sock, .events = POLLIN };
    int rc = poll(&p, 1, -1);
    if (rc < 0) { if (errno == EINTR) continue; break; }
    if (!read_socket()) break;
  }
  if (!finished) refuse("the safe-install controller closed the connection; the script was stopped.");
  close(sock);
  return exit_code;
}
