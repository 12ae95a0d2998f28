using System.Runtime.InteropServices;
using System.Text;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// A FAISS index (inner-product metric) through our native shim, native/faiss/av_faiss.cpp.
/// Vectors are L2-normalised by the caller, so scores are cosine similarities. Not thread-safe
/// for writes; the TenantGrain that owns one is single-threaded.
/// </summary>
public sealed partial class FaissIndex : IDisposable
{
    private const string Library = "avfaiss";
    private const int ErrorLength = 512;

    private readonly IndexHandle _handle;

    public FaissIndex(int dimension, string factory = "IDMap,Flat")
    {
        Dimension = dimension;
        var error = new byte[ErrorLength];
        Check(Native.Create(dimension, factory, out var pointer, error, error.Length), error);
        _handle = new IndexHandle(pointer);
    }

    public int Dimension { get; }

    public long Count => Native.Count(_handle);

    /// <summary>Fails with a message that says what to install when the native library cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        try
        {
            using var probe = new FaissIndex(4);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                "No se pudo cargar libavfaiss.so (FAISS). Instala libfaiss-dev y g++ (apt-get) y recompila; ./run.sh lo hace por ti.", e);
        }
    }

    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        if (vectors.Length != ids.Length * Dimension)
        {
            throw new ArgumentException("vectors must hold ids.Length × Dimension values");
        }

        var error = new byte[ErrorLength];
        Check(Native.Add(_handle, ids.Length, vectors, ids, error, error.Length), error);
    }

    public long Remove(ReadOnlySpan<long> ids)
    {
        var error = new byte[ErrorLength];
        Check(Native.Remove(_handle, ids.Length, ids, out var removed, error, error.Length), error);
        return removed;
    }

    /// <summary>The k best ids for one query, best first; fewer when the index holds fewer.</summary>
    public (long Id, float Score)[] Search(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimension)
        {
            throw new ArgumentException("query length must equal Dimension");
        }

        var scores = new float[k];
        var ids = new long[k];
        var error = new byte[ErrorLength];
        Check(Native.Search(_handle, 1, query, k, scores, ids, error, error.Length), error);
        var results = new List<(long, float)>(k);
        for (var i = 0; i < k; i++)
        {
            if (ids[i] >= 0)
            {
                results.Add((ids[i], scores[i]));
            }
        }

        return [.. results];
    }

    public byte[] Serialize()
    {
        var error = new byte[ErrorLength];
        Check(Native.Serialize(_handle, out var buffer, out var length, error, error.Length), error);
        try
        {
            var bytes = new byte[length];
            Marshal.Copy(buffer, bytes, 0, (int)length);
            return bytes;
        }
        finally
        {
            Native.FreeBuffer(buffer);
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void Check(int status, byte[] error)
    {
        if (status != 0)
        {
            var length = Array.IndexOf(error, (byte)0);
            throw new InvalidOperationException("FAISS: " + Encoding.UTF8.GetString(error, 0, length < 0 ? error.Length : length));
        }
    }

    private sealed class IndexHandle : SafeHandle
    {
        public IndexHandle(IntPtr pointer)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Native.Free(handle);
            return true;
        }
    }

    private static partial class Native
    {
        [LibraryImport(Library, EntryPoint = "av_faiss_create", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Create(int dimension, string factory, out IntPtr index, [Out] byte[] error, int errorLength);

        [LibraryImport(Library, EntryPoint = "av_faiss_add")]
        public static partial int Add(IndexHandle index, long n, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, [Out] byte[] error, int errorLength);

        [LibraryImport(Library, EntryPoint = "av_faiss_remove")]
        public static partial int Remove(IndexHandle index, long n, ReadOnlySpan<long> ids, out long removed, [Out] byte[] error, int errorLength);

        [LibraryImport(Library, EntryPoint = "av_faiss_search")]
        public static partial int Search(IndexHandle index, long queries, ReadOnlySpan<float> query, long k, [Out] float[] scores, [Out] long[] ids, [Out] byte[] error, int errorLength);

        [LibraryImport(Library, EntryPoint = "av_faiss_count")]
        public static partial long Count(IndexHandle index);

        [LibraryImport(Library, EntryPoint = "av_faiss_serialize")]
        public static partial int Serialize(IndexHandle index, out IntPtr buffer, out long length, [Out] byte[] error, int errorLength);

        [LibraryImport(Library, EntryPoint = "av_faiss_free_buffer")]
        public static partial void FreeBuffer(IntPtr buffer);

        [LibraryImport(Library, EntryPoint = "av_faiss_free")]
        public static partial void Free(IntPtr index);
    }
}
