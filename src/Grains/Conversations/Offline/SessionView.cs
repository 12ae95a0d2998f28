using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>A product as the interpreter sees it: its facts and its words (stemmed), for references like "el azul".</summary>
public sealed record ProductView(Guid Id, string Name, decimal Price, int Stock, string Description, IReadOnlyList<string> Terms, IReadOnlyList<string> DescriptionTerms)
{
    public static ProductView Of(Product product) => new(product.Id, product.Name, product.Price, product.Stock, product.Description ?? "",
        SpanishAnalyzer.Terms($"{product.Name} {product.Category} {string.Join(' ', KeywordsOf(product))}"),
        SpanishAnalyzer.Terms(product.Description ?? ""));

    private static IEnumerable<string> KeywordsOf(Product product) => product.Keywords;
}

/// <summary>
/// What the agent asked last, so a short answer ("sí", "el segundo", "3") can be read against it.
/// </summary>
public static class Asked
{
    /// <summary>Several products were shown: which one?</summary>
    public const string Which = "cual";

    /// <summary>One product was shown: shall I add it / how many?</summary>
    public const string Add = "agregar";

    /// <summary>Something was added: anything else, or close the order?</summary>
    public const string More = "mas";

    /// <summary>Out of stock: shall I look for an alternative?</summary>
    public const string Alternative = "alternativa";

    /// <summary>A product question the description could not answer: a person?</summary>
    public const string Person = "persona";
}

/// <summary>A read-only view of the session for the interpreter: what was shown, in focus, in the cart, asked and offered.</summary>
public sealed record SessionView(
    IReadOnlyList<ProductView> Shown,
    ProductView? Focus,
    IReadOnlyList<(ProductView Product, int Quantity)> Cart,
    string? Awaiting,
    (Guid ProductId, int Quantity)? Offer,
    string? Asked,
    int? PendingQuantity,
    Guid? ImplicitLine,
    string? LastQuery = null)
{
    public static SessionView Empty { get; } = new([], null, [], null, null, null, null, null);
}
