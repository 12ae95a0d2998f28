namespace AgenteVendedor.Sales;

/// <summary>The estados of an order, in the order it goes through them (anulada may end it at any step but the last).</summary>
public static class OrderStatus
{
    public const string Pending = "pendiente";
    public const string Confirmed = "confirmada";
    public const string Preparing = "preparando";
    public const string Shipped = "enviada";
    public const string Delivered = "entregada";
    public const string Annulled = "anulada";

    public static readonly IReadOnlyList<string> All = [Pending, Confirmed, Preparing, Shipped, Delivered, Annulled];
}

[GenerateSerializer, Immutable, Alias("av.OrderLine")]
public sealed record OrderLine([property: Id(0)] Guid ProductId, [property: Id(1)] int Quantity);

/// <param name="IdempotencyKey">Orders with the same key are placed once per empresa; a repeat gets the first order back.</param>
/// <param name="StartsPending">The order starts pendiente (staff confirm it) instead of confirmada; its stock is taken either way.</param>
[GenerateSerializer, Immutable, Alias("av.OrderRequest")]
public sealed record OrderRequest(
    [property: Id(0)] Guid? CustomerId,
    [property: Id(1)] IReadOnlyList<OrderLine> Items,
    [property: Id(2)] string Channel,
    [property: Id(3)] string? Notes,
    [property: Id(4)] string? IdempotencyKey = null,
    [property: Id(5)] bool StartsPending = false);

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
    [property: Id(8)] DateTime? AnnulledAt,
    [property: Id(9)] IReadOnlyList<OrderStatusChange> History,
    [property: Id(10)] IReadOnlyList<string> NextStatuses,
    [property: Id(11)] IReadOnlyList<Notifications.OrderNotification>? Notifications = null);

/// <summary>One step of an order's history; the placement is the step from no estado (null) to the first.</summary>
[GenerateSerializer, Immutable, Alias("av.OrderStatusChange")]
public sealed record OrderStatusChange(
    [property: Id(0)] string? From,
    [property: Id(1)] string To,
    [property: Id(2)] Guid? UserId,
    [property: Id(3)] string? Note,
    [property: Id(4)] DateTime At);
