namespace AgenteVendedor.Catalog;

[GenerateSerializer, Immutable, Alias("av.Product")]
public sealed record Product(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Sku,
    [property: Id(2)] string Name,
    [property: Id(3)] string Description,
    [property: Id(4)] decimal Price,
    [property: Id(5)] int Stock,
    [property: Id(6)] string Category,
    [property: Id(7)] bool Active,
    [property: Id(8)] DateTime CreatedAt,
    [property: Id(9)] DateTime UpdatedAt,
    [property: Id(10)] IReadOnlyList<string> Keywords,
    [property: Id(11)] string? ImageUrl = null)
{
    // Keywords is a list: compare it by its items, so an import sees an unchanged product as unchanged.
    public bool Equals(Product? other) =>
        other is not null && (Id, Sku, Name, Description, Price, Stock, Category, Active, CreatedAt, UpdatedAt, ImageUrl)
            == (other.Id, other.Sku, other.Name, other.Description, other.Price, other.Stock, other.Category, other.Active, other.CreatedAt, other.UpdatedAt, other.ImageUrl)
        && Keywords.SequenceEqual(other.Keywords, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Id, Sku, Name, Price, Stock, UpdatedAt, Keywords.Count);
}

/// <summary>
/// POST and PUT /productos: what the client sets. A null sku is generated from the name; null
/// keywords are none; a null image URL is no image. Keywords and the image URL are checked by the
/// grain (CatalogRules.Keywords, CatalogRules.ImageUrl).
/// </summary>
[GenerateSerializer, Immutable, Alias("av.ProductInput")]
public sealed record ProductInput(
    [property: Id(0)] string? Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] decimal Price,
    [property: Id(4)] int Stock,
    [property: Id(5)] string? Category,
    [property: Id(6)] bool Active,
    [property: Id(7)] IReadOnlyList<string>? Keywords = null,
    [property: Id(8)] string? ImageUrl = null);

[GenerateSerializer, Immutable, Alias("av.ProductQuery")]
public sealed record ProductQuery(
    [property: Id(0)] string? Search,
    [property: Id(1)] string? Category,
    [property: Id(2)] bool? Active,
    [property: Id(3)] bool? InStock,
    [property: Id(4)] int Page,
    [property: Id(5)] int Size,
    [property: Id(6)] int? MaxStock = null);

public static class CatalogDefaults
{
    public const string Category = "General";
}

/// <param name="Score">The fused rank score: higher is better, comparable within one search only.</param>
/// <param name="Lexical">Whether the product's own words (or their regional synonyms) matched the query.</param>
/// <param name="WordScore">The BM25 score of the product's words alone (0 when they did not match).</param>
[GenerateSerializer, Immutable, Alias("av.ProductMatch")]
public sealed record ProductMatch([property: Id(0)] Product Product, [property: Id(1)] double Score, [property: Id(2)] bool Lexical, [property: Id(3)] double WordScore = 0);

/// <summary>
/// What the catalog knows of a customer's words. <paramref name="Known"/>: each stemmed term of the
/// text that the catalog has, mapped to itself, or to the catalog term it was a slip for.
/// <paramref name="Pairs"/>: "a b" for neighbouring terms of the text (after correction) that stand side by side in
/// some product, or that written together are one catalog term ("quita manchas") — words of a product
/// phrase, not commands.
/// </summary>
[GenerateSerializer, Immutable, Alias("av.CatalogReading")]
public sealed record CatalogReading([property: Id(0)] IReadOnlyDictionary<string, string> Known, [property: Id(1)] IReadOnlyList<string> Pairs)
{
    public static CatalogReading Empty { get; } = new(new Dictionary<string, string>(), []);
}
