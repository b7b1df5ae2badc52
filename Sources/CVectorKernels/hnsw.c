#include "CVectorKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * HNSW graph core, following hnswlib (hnswalg.h): the level-0 list and the vector of a node in one
 * block (`data_level0_memory_`), upper lists apart, getNeighborsByHeuristic2 for neighbour
 * selection, searchBaseLayer(ST) for the beam, visited sets tagged by epoch and heaps kept per
 * thread in a pool (no allocation per query once warm), per-node spin locks for parallel links
 * (taken by writers only: a build's searches read lists without them, see read_list).
 */

typedef float (*dot_fn)(const float *, const float *, size_t);
dot_fn hr_internal_dot_kernel(void);

enum { FLAG_DELETED = 1, FLAG_UNLINKED = 2 };

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

/* Block layout: header (8 bytes), maxM0 links, dim floats. The node's spin lock is a header byte
   (maxM0 ≤ 254 fits the count in one byte): no lock array beside the blocks. */
typedef struct {
    uint8_t count;
    _Atomic uint8_t lock;
    uint8_t level;
    uint8_t flags;
    int32_t upper; /* index into upper_lists, -1 when level 0 */
} node_header;

typedef struct { float s; int32_t id; } pair;

typedef struct scratch {
    uint16_t *visited;
    size_t visited_cap;
    uint16_t epoch;
    pair *top;       /* min-heap by s: the worst kept result on top */
    size_t top_cap;
    pair *cand;      /* max-heap by s: the most promising frontier node on top */
    size_t cand_cap;
    pair *sorted;    /* selection work space */
    size_t sorted_cap;
    int32_t *links;  /* a copy of one list read under its lock */
    size_t links_cap;
    struct scratch *next;
} scratch;

struct hr_hnsw {
    size_t dim, m, max_m0, ef_construction;
    size_t block_size, capacity;
    _Atomic size_t node_count;
    char *blocks;
    int32_t **upper_lists;
    size_t upper_count, upper_cap;
    int32_t entry;
    int top_level;
    pthread_mutex_t global;  /* entry point and top level */
    pthread_mutex_t pool_lock;
    pthread_mutex_t upper_lock;
    scratch *pool;
    dot_fn dot;
};

static inline node_header *header(const hr_hnsw *h, int32_t node) {
    return (node_header *)(h->blocks + (size_t)node * h->block_size);
}
static inline int32_t *links0(const hr_hnsw *h, int32_t node) {
    return (int32_t *)(h->blocks + (size_t)node * h->block_size + sizeof(node_header));
}
static inline const float *vec(const hr_hnsw *h, int32_t node) {
    return (const float *)(h->blocks + (size_t)node * h->block_size + sizeof(node_header) + h->max_m0 * 4);
}
/* The list of `node` on `level`: count at [0] for upper levels; level 0 keeps it in the header. */
static inline int32_t *upper_list(const hr_hnsw *h, int32_t node, int level) {
    return h->upper_lists[header(h, node)->upper] + (size_t)(level - 1) * (h->m + 1);
}
static inline int32_t *list_of(const hr_hnsw *h, int32_t node, int level, size_t *count) {
    if (level == 0) {
        *count = header(h, node)->count;
        return links0(h, node);
    }
    int32_t *l = upper_list(h, node, level);
    *count = (size_t)l[0];
    return l + 1;
}
/* Publishes a list's new length after its entries: a release store, paired with read_list's
   acquire load by threads that read lists without the lock while others link. */
static inline void set_count(hr_hnsw *h, int32_t node, int level, size_t count) {
    if (level == 0) __atomic_store_n(&header(h, node)->count, (uint8_t)count, __ATOMIC_RELEASE);
    else __atomic_store_n(&upper_list(h, node, level)[0], (int32_t)count, __ATOMIC_RELEASE);
}
/* Writes one list entry that lock-free readers may be loading at the same moment. */
static inline void store_link(int32_t *list, size_t i, int32_t node) { __atomic_store_n(&list[i], node, __ATOMIC_RELAXED); }

/* A one-byte spin lock per node, in its header (a mutex per node would cost 40 bytes of it). Lists are held for
   a few hundred nanoseconds; after a short spin the waiter yields, so a holder the scheduler
   preempted (more threads than cores) is not waited for a whole time slice. */
static inline void lock_node(hr_hnsw *h, int32_t node) {
    _Atomic uint8_t *l = &header(h, node)->lock;
    for (;;) {
        if (!atomic_exchange_explicit(l, 1, memory_order_acquire)) return;
        unsigned spins = 0;
        while (atomic_load_explicit(l, memory_order_relaxed)) {
            if (++spins < 128) CPU_RELAX();
            else sched_yield();
        }
    }
}
static inline void unlock_node(hr_hnsw *h, int32_t node) { atomic_store_explicit(&header(h, node)->lock, 0, memory_order_release); }

/* Heaps on pair arrays: a min-heap (MIN_HEAP, the lowest score on top) or a max-heap (MAX_HEAP).
   Every call names its kind with the constant, so each inlined copy compares one way only. */
enum { MIN_HEAP = 0, MAX_HEAP = 1 };
/* Whether score `a` sits strictly above, or at or above, score `b` in a heap of that kind. */
static inline int heap_above(float a, float b, int kind) { return kind == MAX_HEAP ? a > b : a < b; }
static inline int heap_at_or_above(float a, float b, int kind) { return kind == MAX_HEAP ? a >= b : a <= b; }
static inline void heap_push(pair *heap, size_t *n, pair p, int kind) {
    size_t c = (*n)++;
    while (c > 0) {
        size_t parent = (c - 1) / 2;
        if (heap_at_or_above(heap[parent].s, p.s, kind)) break;
        heap[c] = heap[parent];
        c = parent;
    }
    heap[c] = p;
}
static inline void heap_pop(pair *heap, size_t *n, int kind) {
    pair last = heap[--(*n)];
    size_t size = *n, c = 0;
    for (;;) {
        size_t l = 2 * c + 1;
        if (l >= size) break;
        if (l + 1 < size && heap_above(heap[l + 1].s, heap[l].s, kind)) l++;
        if (heap_at_or_above(last.s, heap[l].s, kind)) break;
        heap[c] = heap[l];
        c = l;
    }
    if (size) heap[c] = last;
}

static int grow(void **buffer, size_t *cap, size_t need, size_t item) {
    if (*cap >= need) return 0;
    size_t next = *cap ? *cap : 64;
    while (next < need) next *= 2;
    void *p = realloc(*buffer, next * item);
    if (!p) return -1;
    *buffer = p;
    *cap = next;
    return 0;
}

static scratch *acquire(hr_hnsw *h) {
    pthread_mutex_lock(&h->pool_lock);
    scratch *s = h->pool;
    if (s) h->pool = s->next;
    pthread_mutex_unlock(&h->pool_lock);
    if (!s) s = calloc(1, sizeof(scratch));
    if (!s) abort();
    size_t need = h->capacity;
    if (s->visited_cap < need) {
        uint16_t *v = realloc(s->visited, need * sizeof(uint16_t));
        if (!v) abort();
        memset(v + s->visited_cap, 0, (need - s->visited_cap) * sizeof(uint16_t));
        s->visited = v;
        s->visited_cap = need;
    }
    if (grow((void **)&s->links, &s->links_cap, h->max_m0 + 1, sizeof(int32_t))) abort();
    return s;
}
static void release(hr_hnsw *h, scratch *s) {
    pthread_mutex_lock(&h->pool_lock);
    s->next = h->pool;
    h->pool = s;
    pthread_mutex_unlock(&h->pool_lock);
}
static inline uint16_t next_epoch(scratch *s) {
    if (++s->epoch == 0) {
        memset(s->visited, 0, s->visited_cap * sizeof(uint16_t));
        s->epoch = 1;
    }
    return s->epoch;
}

hr_hnsw *hr_hnsw_create(size_t dim, size_t m, size_t ef_construction) {
    if (dim == 0 || m < 2 || m > 127) return NULL;
    hr_hnsw *h = calloc(1, sizeof(hr_hnsw));
    if (!h) return NULL;
    h->dim = dim;
    h->m = m;
    h->max_m0 = 2 * m;
    h->ef_construction = ef_construction < m ? m : ef_construction;
    h->block_size = sizeof(node_header) + h->max_m0 * 4 + dim * 4;
    h->entry = -1;
    h->top_level = -1;
    pthread_mutex_init(&h->global, NULL);
    pthread_mutex_init(&h->pool_lock, NULL);
    pthread_mutex_init(&h->upper_lock, NULL);
    h->dot = hr_internal_dot_kernel();
    return h;
}

void hr_hnsw_destroy(hr_hnsw *h) {
    if (!h) return;
    for (size_t i = 0; i < h->upper_count; i++) free(h->upper_lists[i]);
    free(h->upper_lists);
    free(h->blocks);
    for (scratch *s = h->pool; s;) {
        scratch *next = s->next;
        free(s->visited); free(s->top); free(s->cand); free(s->sorted); free(s->links);
        free(s);
        s = next;
    }
    pthread_mutex_destroy(&h->global);
    pthread_mutex_destroy(&h->pool_lock);
    pthread_mutex_destroy(&h->upper_lock);
    free(h);
}

/* Asks for transparent huge pages over the 2 MiB-aligned interior of [p, p + bytes). A search
   touches a few hundred blocks at random: with 4 KiB pages nearly each is a TLB miss (a page walk,
   two-dimensional under a hypervisor) once the graph outgrows the TLB's reach, a few MiB; with
   2 MiB pages a graph of a million blocks needs under a thousand entries. Advice only: where the
   kernel has THP off, or no huge page is free, the pages stay small and nothing else changes. */
static void advise_huge_pages(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

int hr_hnsw_reserve(hr_hnsw *h, size_t capacity) {
    if (capacity <= h->capacity) return 0;
    /* realloc leaves the new tail untouched: capacity not yet used costs address space, not RSS. */
    char *blocks = realloc(h->blocks, capacity * h->block_size);
    if (!blocks) return -1;
    h->blocks = blocks;
    h->capacity = capacity;
    advise_huge_pages(blocks, capacity * h->block_size);
    return 0;
}

size_t hr_hnsw_capacity(const hr_hnsw *h) { return h->capacity; }
size_t hr_hnsw_node_count(const hr_hnsw *h) { return atomic_load(&((hr_hnsw *)h)->node_count); }
const float *hr_hnsw_vector(const hr_hnsw *h, int32_t node) { return vec(h, node); }
int hr_hnsw_level(const hr_hnsw *h, int32_t node) { return header(h, node)->level; }

size_t hr_hnsw_degree(const hr_hnsw *h, int32_t node, int level) {
    size_t count;
    (void)list_of(h, node, level, &count);
    return count;
}

void hr_hnsw_set_deleted(hr_hnsw *h, int32_t node, int deleted) {
    if (deleted) header(h, node)->flags |= FLAG_DELETED;
    else header(h, node)->flags &= (uint8_t)~FLAG_DELETED;
}
int hr_hnsw_is_deleted(const hr_hnsw *h, int32_t node) { return header(h, node)->flags & FLAG_DELETED ? 1 : 0; }

/* Writes a node's vector, level and empty lists. `reused`: the slot held a node before (its upper
   lists are reused); otherwise its block is fresh memory and nothing in it is read. */
static int prepare_node(hr_hnsw *h, int32_t node, const float *vector, int level, int reused) {
    if (node < 0 || (size_t)node >= h->capacity || level < 0 || level > 255) return -1;
    node_header *hd = header(h, node);
    int32_t upper = reused ? hd->upper : -1;
    int old_level = reused ? hd->level : 0;
    if (level > 0) {
        size_t bytes = (size_t)level * (h->m + 1) * sizeof(int32_t);
        pthread_mutex_lock(&h->upper_lock);
        if (upper >= 0 && old_level >= level) {
            /* keep the larger allocation */
        } else if (upper >= 0) {
            int32_t *l = realloc(h->upper_lists[upper], bytes);
            if (!l) { pthread_mutex_unlock(&h->upper_lock); return -1; }
            h->upper_lists[upper] = l;
        } else {
            if (grow((void **)&h->upper_lists, &h->upper_cap, h->upper_count + 1, sizeof(int32_t *))) {
                pthread_mutex_unlock(&h->upper_lock);
                return -1;
            }
            int32_t *l = malloc(bytes);
            if (!l) { pthread_mutex_unlock(&h->upper_lock); return -1; }
            upper = (int32_t)h->upper_count;
            h->upper_lists[h->upper_count++] = l;
        }
        memset(h->upper_lists[upper], 0, bytes);
        pthread_mutex_unlock(&h->upper_lock);
    }
    hd->count = 0;
    atomic_store_explicit(&hd->lock, 0, memory_order_relaxed);
    hd->level = (uint8_t)level;
    hd->flags = 0;
    hd->upper = upper;
    memcpy((void *)vec(h, node), vector, h->dim * sizeof(float));
    size_t want = (size_t)node + 1;
    size_t have = atomic_load(&h->node_count);
    while (have < want && !atomic_compare_exchange_weak(&h->node_count, &have, want)) {}
    return 0;
}

int hr_hnsw_prepare(hr_hnsw *h, int32_t node, const float *vector, int level) {
    return prepare_node(h, node, vector, level, node >= 0 && (size_t)node < hr_hnsw_node_count(h));
}

int hr_hnsw_prepare_fresh(hr_hnsw *h, int32_t node, const float *vector, int level) {
    /* Not decided from the node count: a concurrent preparer of a higher node may have raised it. */
    return prepare_node(h, node, vector, level, 0);
}

/* Copies a node's list on `level` into the scratch. While other threads link (`concurrent`), the
   copy is taken without the node's lock, as a reader of a list a writer may be changing: the count
   is loaded with acquire (writers store it with release after the entries it covers), each entry
   with a relaxed load. Whatever interleaving it sees, every entry read is the id of a prepared
   node (lists only ever hold those), so the worst a race does is route this search through a list
   one update old, as taking the lock a moment earlier would. Locking here instead made every
   expanded node's header line change hands between the cores (a locked exchange is a write),
   and the hub nodes near the entry point are expanded by every insert. */
static size_t read_list(hr_hnsw *h, scratch *s, int32_t node, int level, int concurrent) {
    if (!concurrent) {
        size_t count;
        int32_t *l = list_of(h, node, level, &count);
        memcpy(s->links, l, count * sizeof(int32_t));
        return count;
    }
    int32_t *l;
    size_t count;
    if (level == 0) {
        count = __atomic_load_n(&header(h, node)->count, __ATOMIC_ACQUIRE);
        l = links0(h, node);
    } else {
        int32_t *u = upper_list(h, node, level);
        count = (size_t)__atomic_load_n(&u[0], __ATOMIC_ACQUIRE);
        l = u + 1;
    }
    for (size_t i = 0; i < count; i++) s->links[i] = __atomic_load_n(&l[i], __ATOMIC_RELAXED);
    return count;
}

/* hnswlib's searchBaseLayer: the `ef` best nodes reachable from `entry` on `level`, left in
   s->top (a min-heap); returns how many. */
static size_t search_layer(hr_hnsw *h, scratch *s, const float *q, int32_t entry, float entry_s, size_t ef, int level, int concurrent) {
    uint16_t tag = next_epoch(s);
    uint16_t *visited = s->visited;
    size_t nt = 0, nc = 0;
    if (grow((void **)&s->top, &s->top_cap, ef + 2, sizeof(pair))) abort();
    const size_t dim = h->dim;
    const dot_fn dot = h->dot;
    pair e = {entry_s, entry};
    heap_push(s->top, &nt, e, MIN_HEAP);
    if (grow((void **)&s->cand, &s->cand_cap, 64, sizeof(pair))) abort();
    heap_push(s->cand, &nc, e, MAX_HEAP);
    visited[entry] = tag;
    float lower = entry_s;
    while (nc) {
        pair cur = s->cand[0];
        if (cur.s < lower && nt == ef) break;
        heap_pop(s->cand, &nc, MAX_HEAP);
        size_t count;
        int32_t *list;
        if (concurrent || level > 0) {
            count = read_list(h, s, cur.id, level, concurrent);
            list = s->links;
        } else {
            list = list_of(h, cur.id, 0, &count);
        }
        if (count) {
            __builtin_prefetch(visited + list[0]);
            __builtin_prefetch(vec(h, list[0]));
        }
        for (size_t j = 0; j < count; j++) {
            int32_t n = list[j];
            if (j + 1 < count) {
                __builtin_prefetch(visited + list[j + 1]);
                __builtin_prefetch(vec(h, list[j + 1]));
                __builtin_prefetch((const char *)vec(h, list[j + 1]) + 64);
            }
            if (visited[n] == tag) continue;
            visited[n] = tag;
            float sim = dot(q, vec(h, n), dim);
            if (nt < ef || sim > lower) {
                if (grow((void **)&s->cand, &s->cand_cap, nc + 1, sizeof(pair))) abort();
                pair p = {sim, n};
                heap_push(s->cand, &nc, p, MAX_HEAP);
                __builtin_prefetch(links0(h, s->cand[0].id));
                heap_push(s->top, &nt, p, MIN_HEAP);
                if (nt > ef) heap_pop(s->top, &nt, MIN_HEAP);
                lower = s->top[0].s;
            }
        }
    }
    return nt;
}

/* Greedy descent on one upper level (hnswlib's first loop in addPoint / searchKnn). */
static void greedy(hr_hnsw *h, scratch *s, const float *q, int level, int32_t *cur, float *cur_s, int concurrent) {
    int changed = 1;
    while (changed) {
        changed = 0;
        size_t count = read_list(h, s, *cur, level, concurrent);
        for (size_t j = 0; j < count; j++) {
            int32_t n = s->links[j];
            float sim = h->dot(q, vec(h, n), h->dim);
            if (sim > *cur_s) {
                *cur_s = sim;
                *cur = n;
                changed = 1;
            }
        }
    }
}

/* Sorts pairs by similarity, best first (insertion sort: lists are a few dozen long, and the
   heap pops below hand them over nearly sorted). */
static void sort_desc(pair *p, size_t n) {
    for (size_t i = 1; i < n; i++) {
        pair x = p[i];
        size_t j = i;
        while (j > 0 && p[j - 1].s < x.s) { p[j] = p[j - 1]; j--; }
        p[j] = x;
    }
}

/* getNeighborsByHeuristic2: walking candidates best first, keep one only if it is more similar to
   the base than to every one already kept. `p` sorted best first; keeps in place, returns count. */
static size_t heuristic(hr_hnsw *h, pair *p, size_t n, size_t limit) {
    /* hnswlib returns early only below the limit: exactly `limit` candidates are still pruned. */
    if (n < limit) return n;
    size_t kept = 0;
    for (size_t i = 0; i < n && kept < limit; i++) {
        int good = 1;
        const float *v = vec(h, p[i].id);
        for (size_t k = 0; k < kept; k++) {
            if (h->dot(v, vec(h, p[k].id), h->dim) > p[i].s) { good = 0; break; }
        }
        if (good) p[kept++] = p[i];
    }
    return kept;
}

/* The heap left by search_layer, best first, in s->sorted. */
static size_t drain_sorted(scratch *s, size_t nt) {
    if (grow((void **)&s->sorted, &s->sorted_cap, nt + 1, sizeof(pair))) abort();
    size_t n = nt;
    while (nt) {
        s->sorted[nt - 1] = s->top[0];
        heap_pop(s->top, &nt, MIN_HEAP);
    }
    return n;
}

/* hnswlib's mutuallyConnectNewElement: the new node's list, then a back link from each chosen
   neighbour (re-chosen by the heuristic when that list is full). Returns the closest chosen. */
static int32_t connect(hr_hnsw *h, scratch *s, int32_t node, size_t found, int level) {
    size_t cap = level == 0 ? h->max_m0 : h->m;
    size_t n = heuristic(h, s->sorted, found, h->m);
    int32_t closest = n ? s->sorted[0].id : -1;
    /* keep the chosen ones: s->sorted is reused for each neighbour's re-selection */
    int32_t chosen[256];
    for (size_t i = 0; i < n; i++) chosen[i] = s->sorted[i].id;
    lock_node(h, node);
    size_t count;
    int32_t *own = list_of(h, node, level, &count);
    for (size_t i = 0; i < n; i++) store_link(own, i, chosen[i]);
    set_count(h, node, level, n);
    unlock_node(h, node);
    const float *v = vec(h, node);
    for (size_t i = 0; i < n; i++) {
        int32_t other = chosen[i];
        lock_node(h, other);
        int32_t *list = list_of(h, other, level, &count);
        int present = 0;
        for (size_t j = 0; j < count; j++) if (list[j] == node) { present = 1; break; }
        if (!present) {
            if (count < cap) {
                store_link(list, count, node);
                set_count(h, other, level, count + 1);
            } else {
                const float *ov = vec(h, other);
                if (grow((void **)&s->sorted, &s->sorted_cap, count + 2, sizeof(pair))) abort();
                s->sorted[0].id = node;
                s->sorted[0].s = h->dot(ov, v, h->dim);
                for (size_t j = 0; j < count; j++) {
                    s->sorted[j + 1].id = list[j];
                    s->sorted[j + 1].s = h->dot(ov, vec(h, list[j]), h->dim);
                }
                sort_desc(s->sorted, count + 1);
                size_t kept = heuristic(h, s->sorted, count + 1, cap);
                for (size_t j = 0; j < kept; j++) store_link(list, j, s->sorted[j].id);
                set_count(h, other, level, kept);
            }
        }
        unlock_node(h, other);
    }
    return closest;
}

void hr_hnsw_link(hr_hnsw *h, int32_t node) {
    scratch *s = acquire(h);
    int level = header(h, node)->level;
    const float *q = vec(h, node);
    pthread_mutex_lock(&h->global);
    if (h->entry < 0) {
        h->entry = node;
        h->top_level = level;
        pthread_mutex_unlock(&h->global);
        release(h, s);
        return;
    }
    int top = h->top_level;
    int32_t cur = h->entry;
    int keep_global = level > top;
    if (!keep_global) pthread_mutex_unlock(&h->global);
    float cur_s = h->dot(q, vec(h, cur), h->dim);
    for (int l = top; l > level; l--) greedy(h, s, q, l, &cur, &cur_s, 1);
    for (int l = level < top ? level : top; l >= 0; l--) {
        size_t found = search_layer(h, s, q, cur, cur_s, h->ef_construction, l, 1);
        found = drain_sorted(s, found);
        /* the node itself may be reached through a back link another thread just wrote */
        size_t w = 0;
        for (size_t i = 0; i < found; i++) if (s->sorted[i].id != node) s->sorted[w++] = s->sorted[i];
        int32_t next = connect(h, s, node, w, l);
        if (next >= 0) {
            cur = next;
            cur_s = h->dot(q, vec(h, cur), h->dim);
        }
    }
    if (keep_global) {
        h->entry = node;
        h->top_level = level;
        pthread_mutex_unlock(&h->global);
    }
    release(h, s);
}

void hr_hnsw_link_claimed(hr_hnsw *h, const int32_t *nodes, size_t count, size_t *next) {
    /* A few nodes a claim: one shared counter's cache line changes cores once per claim, and a
       worker the scheduler holds back leaves at most one claim for the others to wait on. */
    const size_t chunk = 8;
    for (;;) {
        size_t start = __atomic_fetch_add(next, chunk, __ATOMIC_RELAXED);
        if (start >= count) return;
        size_t end = start + chunk < count ? start + chunk : count;
        for (size_t i = start; i < end; i++) hr_hnsw_link(h, nodes[i]);
    }
}

size_t hr_hnsw_search(hr_hnsw *h, const float *query, size_t ef, int32_t *out_nodes, float *out_scores) {
    if (h->entry < 0 || ef == 0) return 0;
    scratch *s = acquire(h);
    int32_t cur = h->entry;
    float cur_s = h->dot(query, vec(h, cur), h->dim);
    for (int l = h->top_level; l > 0; l--) greedy(h, s, query, l, &cur, &cur_s, 0);
    size_t nt = search_layer(h, s, query, cur, cur_s, ef, 0, 0);
    size_t n = nt;
    while (nt) {
        out_nodes[nt - 1] = s->top[0].id;
        out_scores[nt - 1] = s->top[0].s;
        heap_pop(s->top, &nt, MIN_HEAP);
    }
    release(h, s);
    return n;
}

size_t hr_hnsw_repair(hr_hnsw *h) {
    size_t n = hr_hnsw_node_count(h), pending = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t f = header(h, (int32_t)i)->flags;
        if ((f & FLAG_DELETED) && !(f & FLAG_UNLINKED)) pending++;
    }
    if (!pending) return 0;
    scratch *s = acquire(h);
    for (size_t i = 0; i < n; i++) {
        int32_t u = (int32_t)i;
        if (header(h, u)->flags & (FLAG_DELETED | FLAG_UNLINKED)) continue;
        const float *uv = vec(h, u);
        for (int l = 0; l <= header(h, u)->level; l++) {
            size_t count;
            int32_t *list = list_of(h, u, l, &count);
            int touched = 0;
            for (size_t j = 0; j < count; j++) if (header(h, list[j])->flags & FLAG_DELETED) { touched = 1; break; }
            if (!touched) continue;
            uint16_t tag = next_epoch(s);
            s->visited[u] = tag;
            size_t found = 0;
            for (size_t j = 0; j < count; j++) {
                int32_t x = list[j];
                size_t xc = 0;
                int32_t *xl = NULL;
                if (header(h, x)->flags & FLAG_DELETED) {
                    if (header(h, x)->flags & FLAG_UNLINKED || header(h, x)->level < l) continue;
                    xl = list_of(h, x, l, &xc);
                } else {
                    xl = &list[j];
                    xc = 1;
                }
                for (size_t k = 0; k < xc; k++) {
                    int32_t y = xl[k];
                    if (s->visited[y] == tag || (header(h, y)->flags & FLAG_DELETED)) continue;
                    s->visited[y] = tag;
                    if (grow((void **)&s->sorted, &s->sorted_cap, found + 1, sizeof(pair))) abort();
                    s->sorted[found].id = y;
                    s->sorted[found].s = h->dot(uv, vec(h, y), h->dim);
                    found++;
                }
            }
            sort_desc(s->sorted, found);
            size_t kept = heuristic(h, s->sorted, found, l == 0 ? h->max_m0 : h->m);
            for (size_t j = 0; j < kept; j++) list[j] = s->sorted[j].id;
            set_count(h, u, l, kept);
        }
    }
    size_t unlinked = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t d = (int32_t)i;
        node_header *hd = header(h, d);
        if (!(hd->flags & FLAG_DELETED) || (hd->flags & FLAG_UNLINKED)) continue;
        for (int l = 0; l <= hd->level; l++) set_count(h, d, l, 0);
        hd->flags |= FLAG_UNLINKED;
        unlinked++;
    }
    if (h->entry >= 0 && (header(h, h->entry)->flags & FLAG_DELETED)) {
        int32_t best = -1;
        int best_level = -1;
        for (size_t i = 0; i < n; i++) {
            node_header *hd = header(h, (int32_t)i);
            if (hd->flags & FLAG_DELETED) continue;
            if ((int)hd->level > best_level) { best_level = hd->level; best = (int32_t)i; }
        }
        h->entry = best;
        h->top_level = best_level;
    }
    release(h, s);
    return unlinked;
}

size_t hr_hnsw_bytes(const hr_hnsw *h) {
    size_t n = hr_hnsw_node_count(h);
    if (!n) return h->block_size;
    size_t upper = 0;
    for (size_t i = 0; i < n; i++) {
        node_header *hd = header(h, (int32_t)i);
        if (hd->upper >= 0) upper += (size_t)hd->level * (h->m + 1) * sizeof(int32_t) + 16 + sizeof(int32_t *);
    }
    return h->block_size + upper / n;
}

#define HNSW_MAGIC 0x31574e534852ULL /* "HRSNW1" */

int hr_hnsw_write(const hr_hnsw *h, FILE *f) {
    uint64_t head[8] = {HNSW_MAGIC, h->dim, h->m, h->ef_construction, hr_hnsw_node_count(h), (uint64_t)(int64_t)h->entry,
                        (uint64_t)(int64_t)h->top_level, h->block_size};
    if (fwrite(head, sizeof head, 1, f) != 1) return -1;
    size_t n = head[4];
    if (n && fwrite(h->blocks, h->block_size, n, f) != n) return -1;
    for (size_t i = 0; i < n; i++) {
        node_header *hd = header(h, (int32_t)i);
        if (hd->level == 0) continue;
        size_t ints = (size_t)hd->level * (h->m + 1);
        if (fwrite(h->upper_lists[hd->upper], sizeof(int32_t), ints, f) != ints) return -1;
    }
    return 0;
}

hr_hnsw *hr_hnsw_read(FILE *f) {
    uint64_t head[8];
    if (fread(head, sizeof head, 1, f) != 1 || head[0] != HNSW_MAGIC) return NULL;
    hr_hnsw *h = hr_hnsw_create(head[1], head[2], head[3]);
    if (!h) return NULL;
    size_t n = head[4];
    if (h->block_size != head[7] || hr_hnsw_reserve(h, n ? n : 1)) { hr_hnsw_destroy(h); return NULL; }
    if (n && fread(h->blocks, h->block_size, n, f) != n) { hr_hnsw_destroy(h); return NULL; }
    for (size_t i = 0; i < n; i++) {
        node_header *hd = header(h, (int32_t)i);
        atomic_store_explicit(&hd->lock, 0, memory_order_relaxed);
        if (hd->level == 0) { hd->upper = -1; continue; }
        size_t ints = (size_t)hd->level * (h->m + 1);
        int32_t *l = malloc(ints * sizeof(int32_t));
        if (!l || grow((void **)&h->upper_lists, &h->upper_cap, h->upper_count + 1, sizeof(int32_t *)) ||
            fread(l, sizeof(int32_t), ints, f) != ints) {
            free(l);
            hr_hnsw_destroy(h);
            return NULL;
        }
        hd->upper = (int32_t)h->upper_count;
        h->upper_lists[h->upper_count++] = l;
    }
    atomic_store(&h->node_count, n);
    h->entry = (int32_t)(int64_t)head[5];
    h->top_level = (int)(int64_t)head[6];
    return h;
}
