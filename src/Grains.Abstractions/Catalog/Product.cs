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
    [property: Id(10)] IReadOnlyList<string> Keywords)
{
    // Keywords is a list: compare it by its items, so an import sees an unchanged product as unchanged.
    public bool Equals(Product? other) =>
        other is not null && (Id, Sku, Name, Description, Price, Stock, Category, Active, CreatedAt, UpdatedAt)
            == (other.Id, other.Sku, other.Name, other.Description, other.Price, other.Stock, other.Category, other.Active, other.CreatedAt, other.UpdatedAt)
        && Keywords.SequenceEqual(other.Keywords, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Id, Sku, Name, Price, Stock, UpdatedAt, Keywords.Count);
}

/// <summary>
/// POST and PUT /productos: what the client sets. A null sku is generated from the name; null
/// keywords are none. Keywords are checked and normalised by the grain (CatalogRules.Keywords).
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
    [property: Id(7)] IReadOnlyList<string>? Keywords = null);

[GenerateSerializer, Immutable, Alias("av.ProductQuery")]
public sealed record ProductQuery(
    [property: Id(0)] string? Search,
    [property: Id(1)] string? Category,
    [property: Id(2)] bool? Active,
    [property: Id(3)] bool? InStock,
    [property: Id(4)] int Page,
    [property: Id(5)] int Size);

public static class CatalogDefaults
{
    public const string Category = "General";
}

/// <param name="Score">The fused rank score: higher is better, comparable within one search only.</param>
/// <param name="Lexical">Whether the product's own words (or their regional synonyms) matched the query.</param>
[GenerateSerializer, Immutable, Alias("av.ProductMatch")]
public sealed record ProductMatch([property: Id(0)] Product Product, [property: Id(1)] double Score, [property: Id(2)] bool Lexical);
