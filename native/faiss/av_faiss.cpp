// A small C surface over Debian's static FAISS, for P/Invoke from .NET (src/Grains/Retrieval/FaissIndex.cs).
// Every call catches C++ exceptions and returns them as text: nothing may unwind into the CLR.
#include <faiss/Index.h>
#include <faiss/IndexIDMap.h>
#include <faiss/MetaIndexes.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <faiss/impl/io.h>
#include <omp.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace {

void copy_error(const char* message, char* err, int errlen) {
    if (err && errlen > 0) {
        std::strncpy(err, message, static_cast<size_t>(errlen) - 1);
        err[errlen - 1] = '\0';
    }
}

template <typename F>
int guarded(char* err, int errlen, F&& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        copy_error(e.what(), err, errlen);
    } catch (...) {
        copy_error("unknown FAISS error", err, errlen);
    }
    return -1;
}

}  // namespace

extern "C" {

int av_faiss_create(int dim, const char* factory, void** out, char* err, int errlen) {
    return guarded(err, errlen, [&] {
        // One thread per query: OpenMP workers fight the silo's own threads for the cores.
        omp_set_num_threads(1);
        *out = faiss::index_factory(dim, factory, faiss::METRIC_INNER_PRODUCT);
    });
}

int av_faiss_add(void* index, int64_t n, const float* vectors, const int64_t* ids, char* err, int errlen) {
    return guarded(err, errlen, [&] { static_cast<faiss::Index*>(index)->add_with_ids(n, vectors, ids); });
}

int av_faiss_remove(void* index, int64_t n, const int64_t* ids, int64_t* removed, char* err, int errlen) {
    return guarded(err, errlen, [&] {
        faiss::IDSelectorBatch selector(n, ids);
        *removed = static_cast<int64_t>(static_cast<faiss::Index*>(index)->remove_ids(selector));
    });
}

int av_faiss_search(void* index, int64_t nq, const float* queries, int64_t k, float* scores, int64_t* ids, char* err, int errlen) {
    return guarded(err, errlen, [&] { static_cast<faiss::Index*>(index)->search(nq, queries, k, scores, ids); });
}

int64_t av_faiss_count(void* index) {
    return static_cast<faiss::Index*>(index)->ntotal;
}

int av_faiss_serialize(void* index, uint8_t** buffer, int64_t* length, char* err, int errlen) {
    return guarded(err, errlen, [&] {
        faiss::VectorIOWriter writer;
        faiss::write_index(static_cast<faiss::Index*>(index), &writer);
        *length = static_cast<int64_t>(writer.data.size());
        *buffer = static_cast<uint8_t*>(std::malloc(writer.data.size()));
        std::memcpy(*buffer, writer.data.data(), writer.data.size());
    });
}

int av_faiss_deserialize(const uint8_t* buffer, int64_t length, void** out, char* err, int errlen) {
    return guarded(err, errlen, [&] {
        faiss::VectorIOReader reader;
        reader.data.assign(buffer, buffer + length);
        *out = faiss::read_index(&reader);
    });
}

void av_faiss_free_buffer(uint8_t* buffer) { std::free(buffer); }

void av_faiss_free(void* index) { delete static_cast<faiss::Index*>(index); }

}  // extern "C"
