using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Sales;

public sealed class OrderStore(NpgsqlDataSource database)
{
    /// <summary>A line as the database took it: the product's facts at the moment of sale and its new stock.</summary>
    public sealed record TakenLine(Guid ProductId, string Sku, string Name, decimal Price, int Stock);

    public abstract record PlaceResult;

    public sealed record Placed(Order Order, IReadOnlyList<TakenLine> Lines) : PlaceResult;

    public sealed record Short(Guid ProductId, int Available) : PlaceResult;

    public sealed record UnknownCustomer : PlaceResult;

    private const string CustomerExistsSql = "SELECT EXISTS (SELECT 1 FROM customers WHERE id = @CustomerId AND tenant_id = @TenantId)";

    // Takes every line's quantity in one statement; a line whose stock is short is simply not returned.
    private const string TakeStockSql = """
        UPDATE products p
           SET stock = p.stock - w.quantity, updated_at = @Now
          FROM unnest(@ProductIds, @Quantities) AS w(product_id, quantity)
         WHERE p.id = w.product_id AND p.tenant_id = @TenantId AND p.active AND p.stock >= w.quantity
        RETURNING p.id AS ProductId, p.sku AS Sku, p.name AS Name, p.price AS Price, p.stock AS Stock
        """;

    private const string AvailableSql = "SELECT stock FROM products WHERE id = @ProductId AND tenant_id = @TenantId";

    private const string InsertOrderSql = """
        INSERT INTO orders (id, tenant_id, customer_id, status, total, channel, notes, created_by, created_at)
        VALUES (@Id, @TenantId, @CustomerId, 'confirmada', @Total, @Channel, @Notes, @CreatedBy, @Now);
        INSERT INTO order_items (order_id, line, product_id, sku, name, quantity, unit_price, subtotal)
        SELECT @Id, l.line, l.product_id, l.sku, l.name, l.quantity, l.unit_price, l.unit_price * l.quantity
          FROM unnest(@Lines, @ProductIds, @Skus, @Names, @Quantities, @Prices)
            AS l(line, product_id, sku, name, quantity, unit_price);
        """;

    /// <summary>
    /// Decrements stock and records the order in one transaction. Prices are the catalog's, read in
    /// the same statement that takes the stock.
    /// </summary>
    public async Task<PlaceResult> PlaceAsync(Guid tenantId, Actor actor, OrderRequest request, DateTime now)
    {
        var lines = request.Items;
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (request.CustomerId is { } customerId
            && !await connection.ExecuteScalarAsync<bool>(CustomerExistsSql, new { CustomerId = customerId, TenantId = tenantId }, transaction))
        {
            return new UnknownCustomer();
        }

        var taken = (await connection.QueryAsync<TakenLine>(TakeStockSql, new
        {
            Now = now,
            TenantId = tenantId,
            ProductIds = lines.Select(l => l.ProductId).ToArray(),
            Quantities = lines.Select(l => l.Quantity).ToArray(),
        }, transaction)).ToDictionary(t => t.ProductId);

        if (lines.FirstOrDefault(l => !taken.ContainsKey(l.ProductId)) is { } missing)
        {
            var available = await connection.ExecuteScalarAsync<int?>(AvailableSql, new { missing.ProductId, TenantId = tenantId }, transaction);
            await transaction.RollbackAsync();
            return new Short(missing.ProductId, available ?? 0);
        }

        var orderId = Guid.CreateVersion7();
        var items = lines.Select(l =>
        {
            var t = taken[l.ProductId];
            return new OrderItem(l.ProductId, t.Sku, t.Name, l.Quantity, t.Price, t.Price * l.Quantity);
        }).ToList();
        var total = items.Sum(i => i.Subtotal);
        await connection.ExecuteAsync(InsertOrderSql, new
        {
            Id = orderId,
            TenantId = tenantId,
            request.CustomerId,
            Total = total,
            request.Channel,
            request.Notes,
            CreatedBy = actor.UserId,
            Now = now,
            Lines = Enumerable.Range(1, items.Count).ToArray(),
            ProductIds = items.Select(i => i.ProductId).ToArray(),
            Skus = items.Select(i => i.Sku).ToArray(),
            Names = items.Select(i => i.Name).ToArray(),
            Quantities = items.Select(i => i.Quantity).ToArray(),
            Prices = items.Select(i => i.UnitPrice).ToArray(),
        }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "venta", orderId.ToString(), "crear", new
        {
            total,
            canal = request.Channel,
            cliente_id = request.CustomerId,
            items = items.Select(i => new { producto_id = i.ProductId, i.Sku, cantidad = i.Quantity, precio_unitario = i.UnitPrice }),
        });
        await transaction.CommitAsync();
        var order = new Order(orderId, OrderStatus.Confirmed, total, items, request.CustomerId, request.Channel, request.Notes, now, null);
        return new Placed(order, taken.Values.ToList());
    }

    private const string AnnulSql = """
        UPDATE orders SET status = 'anulada', annulled_at = @Now, annulled_by = @UserId
         WHERE id = @Id AND tenant_id = @TenantId AND status = 'confirmada'
        RETURNING id
        """;

    private const string StatusSql = "SELECT status FROM orders WHERE id = @Id AND tenant_id = @TenantId";

    private const string ReturnStockSql = """
        UPDATE products p SET stock = p.stock + i.quantity, updated_at = @Now
          FROM order_items i
         WHERE i.order_id = @Id AND p.id = i.product_id AND p.tenant_id = @TenantId
        RETURNING p.id AS ProductId, p.stock AS Stock
        """;

    public sealed record ReturnedStock(Guid ProductId, int Stock);

    /// <summary>Annuls a confirmed order and returns its stock; null status when the order is not the empresa's.</summary>
    public async Task<(string? StatusBefore, IReadOnlyList<ReturnedStock> Returned)> AnnulAsync(Guid tenantId, Actor actor, Guid orderId, DateTime now)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var args = new { Id = orderId, TenantId = tenantId, Now = now, actor.UserId };
        if (await connection.ExecuteScalarAsync<Guid?>(AnnulSql, args, transaction) is null)
        {
            return (await connection.ExecuteScalarAsync<string?>(StatusSql, args, transaction), []);
        }

        var returned = (await connection.QueryAsync<ReturnedStock>(ReturnStockSql, args, transaction)).ToList();
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "venta", orderId.ToString(), "anular",
            new { stock_devuelto = returned.Select(r => new { producto_id = r.ProductId }) });
        await transaction.CommitAsync();
        return (OrderStatus.Confirmed, returned);
    }
}
