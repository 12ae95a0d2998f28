using AgenteVendedor.Common;
using Dapper;
using Npgsql;
using Orleans.Concurrency;

namespace AgenteVendedor.Sales;

/// <summary>Read-only, so any silo may run as many activations as the load needs.</summary>
[StatelessWorker, Reentrant]
public sealed class SalesLedgerGrain(NpgsqlDataSource database) : Grain, ISalesLedgerGrain
{
    private Guid TenantId => this.GetPrimaryKey();

    // Days are read in the empresa's own time zone.
    private const string PeriodFilter = """
           AND (@FromUtc::timestamptz IS NULL OR o.created_at >= @FromUtc::timestamptz)
           AND (@ToUtc::timestamptz IS NULL OR o.created_at < @ToUtc::timestamptz)
           AND (@FromDay::date IS NULL OR o.created_at >= (@FromDay::date::timestamp AT TIME ZONE t.time_zone))
           AND (@ToDay::date IS NULL OR o.created_at < ((@ToDay::date + 1)::timestamp AT TIME ZONE t.time_zone))
        """;

    private const string OrderColumns = """
        o.id AS Id, o.status AS Status, o.total AS Total, o.customer_id AS CustomerId, o.channel AS Channel,
        o.notes AS Notes, o.created_at AS CreatedAt, o.annulled_at AS AnnulledAt
        """;

    private const string ItemsSql = """
        SELECT order_id AS OrderId, product_id AS ProductId, sku AS Sku, name AS Name, quantity AS Quantity,
               unit_price AS UnitPrice, subtotal AS Subtotal
          FROM order_items WHERE order_id = ANY(@Ids) ORDER BY order_id, line
        """;

    private const string HistorySql = """
        SELECT order_id AS OrderId, from_status AS FromStatus, to_status AS ToStatus, user_id AS UserId, note AS Note, created_at AS At
          FROM order_status_history WHERE tenant_id = @TenantId AND order_id = ANY(@Ids) ORDER BY order_id, id
        """;

    private const string OneSql = $"SELECT {OrderColumns} FROM orders o WHERE o.id = @Id AND o.tenant_id = @TenantId";

    private const string ListFilter = $"""
          FROM orders o JOIN tenants t ON t.id = o.tenant_id
         WHERE o.tenant_id = @TenantId
           AND (@Status::text IS NULL OR o.status = @Status::text)
           AND (@CustomerId::uuid IS NULL OR o.customer_id = @CustomerId::uuid)
           AND (@Channel::text IS NULL OR o.channel = @Channel::text)
        {PeriodFilter}
        """;

    private const string ListSql = $"SELECT {OrderColumns} {ListFilter} ORDER BY o.created_at DESC, o.id DESC LIMIT @Size OFFSET @Offset";

    private const string CountSql = $"SELECT count(*) {ListFilter}";

    public async Task<Order?> GetOrderAsync(Guid orderId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(OneSql, new { Id = orderId, TenantId });
        return row is null ? null : (await WithItemsAsync(connection, TenantId, [row]))[0];
    }

    public async Task<Page<Order>> ListOrdersAsync(OrderQuery query)
    {
        var args = PeriodArgs(query.Period, new
        {
            TenantId,
            query.Status,
            query.CustomerId,
            query.Channel,
            query.Size,
            Offset = (long)(query.Page - 1) * query.Size,
        });
        await using var connection = await database.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>(CountSql, args);
        var rows = (await connection.QueryAsync<OrderRow>(ListSql, args)).ToList();
        return new Page<Order>(await WithItemsAsync(connection, TenantId, rows), total, query.Page, query.Size);
    }

    // Confirmed orders and those further along are sales; pendiente and anulada are not revenue.
    private const string SalesInPeriod = $"""
          FROM orders o JOIN tenants t ON t.id = o.tenant_id
         WHERE o.tenant_id = @TenantId AND o.status IN ({OrderLifecycle.SaleStatusesSql})
        {PeriodFilter}
        """;

    private const string TotalsSql = $"SELECT count(*)::int AS Orders, coalesce(sum(o.total), 0) AS Revenue {SalesInPeriod}";

    private const string TopSql = $"""
        SELECT i.product_id AS ProductId, min(i.sku) AS Sku, min(i.name) AS Name,
               sum(i.quantity)::bigint AS Quantity, sum(i.subtotal) AS Revenue
          FROM order_items i JOIN orders o ON o.id = i.order_id JOIN tenants t ON t.id = o.tenant_id
         WHERE o.tenant_id = @TenantId AND o.status IN ({OrderLifecycle.SaleStatusesSql})
        {PeriodFilter}
         GROUP BY i.product_id
         ORDER BY sum(i.quantity) DESC, sum(i.subtotal) DESC, min(i.sku)
         LIMIT @Top
        """;

    private const string PerDaySql = $"""
        SELECT (o.created_at AT TIME ZONE t.time_zone)::date AS Day, count(*)::int AS Orders, sum(o.total) AS Revenue
        {SalesInPeriod}
         GROUP BY 1 ORDER BY 1
        """;

    public async Task<SalesSummary> SummarizeAsync(Period period, int topProducts)
    {
        var args = PeriodArgs(period, new { TenantId, Top = topProducts });
        await using var connection = await database.OpenConnectionAsync();
        var totals = await connection.QuerySingleAsync<(int Orders, decimal Revenue)>(TotalsSql, args);
        var top = (await connection.QueryAsync<TopProduct>(TopSql, args)).ToList();
        var perDay = (await connection.QueryAsync<(DateTime Day, int Orders, decimal Revenue)>(PerDaySql, args))
            .Select(d => new DaySales(DateOnly.FromDateTime(d.Day), d.Orders, d.Revenue))
            .ToList();
        var average = totals.Orders == 0 ? 0m : decimal.Round(totals.Revenue / totals.Orders, 2, MidpointRounding.AwayFromZero);
        return new SalesSummary(totals.Orders, totals.Revenue, average, top, perDay);
    }

    private static DynamicParameters PeriodArgs(Period period, object rest)
    {
        var args = new DynamicParameters(rest);
        args.Add("FromUtc", period.FromUtc);
        args.Add("ToUtc", period.ToUtc);
        args.Add("FromDay", period.FromDay?.ToDateTime(TimeOnly.MinValue));
        args.Add("ToDay", period.ToDay?.ToDateTime(TimeOnly.MinValue));
        return args;
    }

    private static async Task<List<Order>> WithItemsAsync(NpgsqlConnection connection, Guid tenantId, List<OrderRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToArray();
        var items = (await connection.QueryAsync<ItemRow>(ItemsSql, new { Ids = ids })).ToLookup(i => i.OrderId);
        var history = (await connection.QueryAsync<HistoryRow>(HistorySql, new { TenantId = tenantId, Ids = ids })).ToLookup(h => h.OrderId);
        var notifications = await Notifications.OrderNotifications.ForOrdersAsync(connection, tenantId, ids);
        return rows.Select(r => new Order(r.Id, r.Status, r.Total,
                items[r.Id].Select(i => new OrderItem(i.ProductId, i.Sku, i.Name, i.Quantity, i.UnitPrice, i.Subtotal)).ToList(),
                r.CustomerId, r.Channel, r.Notes, r.CreatedAt, r.AnnulledAt,
                history[r.Id].Select(h => new OrderStatusChange(h.FromStatus, h.ToStatus, h.UserId, h.Note, h.At)).ToList(),
                OrderLifecycle.NextOf(r.Status), notifications[r.Id].ToList()))
            .ToList();
    }

    private sealed record OrderRow(
        Guid Id, string Status, decimal Total, Guid? CustomerId, string Channel, string? Notes, DateTime CreatedAt, DateTime? AnnulledAt);

    private sealed record HistoryRow(Guid OrderId, string? FromStatus, string ToStatus, Guid? UserId, string? Note, DateTime At);

    private sealed record ItemRow(Guid OrderId, Guid ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, decimal Subtotal);
}
