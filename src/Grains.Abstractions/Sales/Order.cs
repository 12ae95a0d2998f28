namespace AgenteVendedor.Sales;

public static class OrderStatus
{
    public const string Confirmed = "confirmada";
    public const string Annulled = "anulada";
}

[GenerateSerializer, Immutable, Alias("av.OrderLine")]
public sealed record OrderLine([property: Id(0)] Guid ProductId, [property: Id(1)] int Quantity);

/// <param name="IdempotencyKey">Orders with the same key are placed once per empresa; a repeat gets the first order back.</param>
[GenerateSerializer, Immutable, Alias("av.OrderRequest")]
public sealed record OrderRequest(
    [property: Id(0)] Guid? CustomerId,
    [property: Id(1)] IReadOnlyList<OrderLine> Items,
    [property: Id(2)] string Channel,
    [property: Id(3)] string? Notes,
    [property: Id(4)] string? IdempotencyKey = null);

[GenerateSerializer, Immutable, Alias("av.OrderItem")]
public sealed record OrderItem(
    [property: Id(0)] Guid ProductId,
    [property: Id(1)] string Sku,
    [property: Id(2)] string Name,
    [property: Id(3)] int Quantity,
    [property: Id(4)] decimal UnitPrice,
    [property: Id(5)] decimal Subtotal);

[GenerateSerializer, Immutable, Alias("av.Order")]
public sealed record Order(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Status,
    [property: Id(2)] decimal Total,
    [property: Id(3)] IReadOnlyList<OrderItem> Items,
    [property: Id(4)] Guid? CustomerId,
    [property: Id(5)] string Channel,
    [property: Id(6)] string? Notes,
    [property: Id(7)] DateTime CreatedAt,
    [property: Id(8)] DateTime? AnnulledAt);
