using Microsoft.Extensions.AI;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// The offline embedder: no model file, deterministic. Each stemmed word and each character
/// n-gram (3 to 5, with word boundaries) of the Spanish-normalised text is hashed into one of
/// <see cref="Dimensions"/> buckets with a hashed sign; the vector is L2-normalised, so the inner
/// product is a cosine. Close spellings and shared roots ("atornillar", "atornillador") land near.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 384) : IEmbeddingGenerator<string, Embedding<float>>
{
    // v2: digits and letters written together are split into two words ("128gb").
    public const string ModelId = "hash-ngram-v2";

    public int Dimensions { get; } = dimensions;

    private readonly EmbeddingGeneratorMetadata _metadata = new("agentevendedor-offline", null, ModelId, dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
        }

        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in SpanishAnalyzer.Terms(text))
        {
            Add(vector, "w:" + word, 1.0f);
            var padded = $"<{word}>";
            for (var n = 3; n <= 5; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    Add(vector, padded.Substring(i, n), 0.5f);
                }
            }
        }

        return ProductVectors.Normalized(vector);
    }

    private void Add(float[] vector, string feature, float weight)
    {
        var hash = Fnv1a(feature);
        var bucket = (int)(hash % (uint)Dimensions);
        vector[bucket] += (hash & 0x8000_0000) == 0 ? weight : -weight;
    }

    // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
