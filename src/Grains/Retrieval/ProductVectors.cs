using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using AgenteVendedor.Catalog;
using Dapper;
using Microsoft.Extensions.AI;
using Npgsql;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// Vectors for products and queries. A product is embedded once per distinct text
/// ("nombre | categoria | descripcion") and model: vectors are cached in product_embeddings by
/// (model, SHA-256 of the text), so a re-import embeds only what changed and a restart nothing.
/// </summary>
public sealed class ProductVectors(IEmbeddingGenerator<string, Embedding<float>> generator, NpgsqlDataSource database, string modelKey)
{
    private const int BatchSize = 64;

    public static string ContentOf(Product product) => $"{product.Name} | {product.Category} | {product.Description}" + (product.Keywords.Count == 0 ? "" : $" | {string.Join(' ', product.Keywords)}");

    private const string LoadSql = """
        SELECT content_hash AS Hash, vector AS Vector FROM product_embeddings
         WHERE model = @Model AND content_hash = ANY(@Hashes)
        """;

    private const string SaveSql = """
        INSERT INTO product_embeddings (model, content_hash, dimensions, vector)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (model, content_hash) DO NOTHING
        """;

    public async Task<Dictionary<Guid, float[]>> ForProductsAsync(IReadOnlyCollection<Product> products, CancellationToken cancellationToken = default)
    {
        var byHash = products
            .Select(p => (Product: p, Text: ContentOf(p)))
            .GroupBy(x => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(x.Text))))
            .ToDictionary(g => g.Key, g => (Text: g.First().Text, Products: g.Select(x => x.Product.Id).ToList()));

        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var hashes = byHash.Keys.Select(Convert.FromHexString).ToArray();
            foreach (var row in await connection.QueryAsync<(byte[] Hash, float[] Vector)>(LoadSql, new { Model = modelKey, Hashes = hashes }))
            {
                vectors[Convert.ToHexString(row.Hash)] = row.Vector;
            }
        }

        var missing = byHash.Keys.Where(h => !vectors.ContainsKey(h)).ToList();
        foreach (var chunk in missing.Chunk(BatchSize))
        {
            var embedded = await generator.GenerateAsync(chunk.Select(h => byHash[h].Text), cancellationToken: cancellationToken);
            var fresh = new List<(string Hash, float[] Vector)>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var vector = Normalized(embedded[i].Vector.ToArray());
                vectors[chunk[i]] = vector;
                fresh.Add((chunk[i], vector));
            }

            await SaveAsync(fresh, cancellationToken);
        }

        var result = new Dictionary<Guid, float[]>();
        foreach (var (hash, entry) in byHash)
        {
            foreach (var id in entry.Products)
            {
                result[id] = vectors[hash];
            }
        }

        return result;
    }

    public async Task<float[]> ForQueryAsync(string query, CancellationToken cancellationToken = default) =>
        Normalized((await generator.GenerateAsync([query], cancellationToken: cancellationToken))[0].Vector.ToArray());

    private async Task SaveAsync(List<(string Hash, float[] Vector)> fresh, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (hash, vector) in fresh)
        {
            var command = new NpgsqlBatchCommand(SaveSql);
            command.Parameters.Add(new NpgsqlParameter { Value = modelKey });
            command.Parameters.Add(new NpgsqlParameter { Value = Convert.FromHexString(hash) });
            command.Parameters.Add(new NpgsqlParameter { Value = vector.Length });
            command.Parameters.Add(new NpgsqlParameter { Value = vector });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>L2-normalised in place, so an inner product is a cosine; a zero vector stays zero.</summary>
    public static float[] Normalized(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }
}
