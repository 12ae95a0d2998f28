using AgenteVendedor.Common;

namespace AgenteVendedor.Sales;

/// <summary>Read side of an empresa's sales (key: empresa id): lists, one order, reports. Queries PostgreSQL.</summary>
public interface ISalesLedgerGrain : IGrainWithGuidKey
{
    Task<Order?> GetOrderAsync(Guid orderId);

    Task<Page<Order>> ListOrdersAsync(OrderQuery query);

    Task<SalesSummary> SummarizeAsync(Period period, int topProducts);
}

/// <summary>
/// A time range. Calendar days are read in the empresa's time zone (To is inclusive);
/// instants are taken as given (To is exclusive). Null means open.
/// </summary>
[GenerateSerializer, Immutable, Alias("av.Period")]
public sealed record Period(
    [property: Id(0)] DateTime? FromUtc = null,
    [property: Id(1)] DateTime? ToUtc = null,
    [property: Id(2)] DateOnly? FromDay = null,
    [property: Id(3)] DateOnly? ToDay = null);

[GenerateSerializer, Immutable, Alias("av.OrderQuery")]
public sealed record OrderQuery(
    [property: Id(0)] Period Period,
    [property: Id(1)] string? Status,
    [property: Id(2)] Guid? CustomerId,
    [property: Id(3)] int Page,
    [property: Id(4)] int Size,
    [property: Id(5)] string? Channel = null);

[GenerateSerializer, Immutable, Alias("av.SalesSummary")]
public sealed record SalesSummary(
    [property: Id(0)] int Orders,
    [property: Id(1)] decimal Revenue,
    [property: Id(2)] decimal AverageTicket,
    [property: Id(3)] IReadOnlyList<TopProduct> TopProducts,
    [property: Id(4)] IReadOnlyList<DaySales> PerDay);

[GenerateSerializer, Immutable, Alias("av.TopProduct")]
public sealed record TopProduct(
    [property: Id(0)] Guid ProductId,
    [property: Id(1)] string Sku,
    [property: Id(2)] string Name,
    [property: Id(3)] long Quantity,
    [property: Id(4)] decimal Revenue);

[GenerateSerializer, Immutable, Alias("av.DaySales")]
public sealed record DaySales([property: Id(0)] DateOnly Day, [property: Id(1)] int Orders, [property: Id(2)] decimal Revenue);
