using AgenteVendedor.Common;
using AgenteVendedor.Sales;
using AgenteVendedor.Testing;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Grains.Tests;

/// <summary>
/// The database alone keeps an order's lifecycle straight when moves bypass the grain (two activations of one
/// TenantGrain during a partition): the order's row lock makes concurrent moves take turns, each sees the estado
/// the other left, and order_status_history never holds the same step twice.
/// </summary>
public sealed class OrderLifecycleGuardTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<(Guid Tenant, Guid Product)> SeedAsync()
    {
        var tenantId = Guid.NewGuid();
        var productId = Guid.NewGuid();
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO tenants (id, name) VALUES (@tenantId, 'Ciclo')", new { tenantId });
        await connection.ExecuteAsync(
            "INSERT INTO products (id, tenant_id, sku, name, price, stock) VALUES (@productId, @tenantId, 'C-1', 'Caja', 1000, 10)",
            new { productId, tenantId });
        return (tenantId, productId);
    }

    [Fact]
    public async Task Concurrent_moves_bypassing_the_grain_make_each_step_once_and_give_the_stock_back_once()
    {
        var (tenantId, productId) = await SeedAsync();
        await using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        var orders = new OrderStore(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrderStore>.Instance);
        var lifecycle = new OrderLifecycle(dataSource);
        var actor = new Actor(Guid.NewGuid(), "admin");
        var placed = Assert.IsType<OrderStore.Placed>(
            await orders.PlaceAsync(tenantId, actor, new OrderRequest(null, [new OrderLine(productId, 3)], "api", null, StartsPending: true), DateTime.UtcNow));
        Assert.Equal(OrderStatus.Pending, placed.Order.Status);

        Task<OrderLifecycle.MoveResult[]> AllAtOnce(params string[] targets) => Task.WhenAll(targets.Select(to =>
            Task.Run(() => lifecycle.MoveAsync(tenantId, actor, placed.Order.Id, to, null, "estado", DateTime.UtcNow))));

        var confirmed = await AllAtOnce(Enumerable.Repeat(OrderStatus.Confirmed, 20).ToArray());
        Assert.Single(confirmed.OfType<OrderLifecycle.Moved>());
        Assert.Equal(19, confirmed.OfType<OrderLifecycle.AlreadyThere>().Count());

        Assert.IsType<OrderLifecycle.Moved>((await AllAtOnce(OrderStatus.Shipped))[0]);
        var race = await AllAtOnce([.. Enumerable.Repeat(OrderStatus.Delivered, 10), .. Enumerable.Repeat(OrderStatus.Annulled, 10)]);
        var winner = Assert.Single(race.OfType<OrderLifecycle.Moved>());
        Assert.Equal(OrderStatus.Shipped, winner.From);

        await using var connection = await _database.OpenAsync();
        var final = await connection.ExecuteScalarAsync<string>("SELECT status FROM orders WHERE id = @Id", new { placed.Order.Id });
        var steps = (await connection.QueryAsync<(string? From, string To)>(
            "SELECT from_status, to_status FROM order_status_history WHERE order_id = @Id ORDER BY id", new { placed.Order.Id })).ToList();
        Assert.Equal([(null, OrderStatus.Pending), (OrderStatus.Pending, OrderStatus.Confirmed), (OrderStatus.Confirmed, OrderStatus.Shipped), (OrderStatus.Shipped, final)], steps);
        // The losers of the race found a final estado: the ones after a delivery, and the annulments after an annulment, were refused or empty.
        Assert.Equal(19, race.Count(r => r is OrderLifecycle.NotAllowed or OrderLifecycle.AlreadyThere));
        var stock = await connection.ExecuteScalarAsync<int>("SELECT stock FROM products WHERE id = @productId", new { productId });
        Assert.Equal(final == OrderStatus.Annulled ? 10 : 7, stock);
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*)::int FROM audit_log WHERE tenant_id = @tenantId AND action = 'estado'", new { tenantId }));

        // And the table itself refuses a step repeated by hand.
        var repeated = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "INSERT INTO order_status_history (tenant_id, order_id, from_status, to_status, created_at) VALUES (@tenantId, @Id, 'pendiente', 'confirmada', now())",
            new { tenantId, placed.Order.Id }));
        Assert.Equal("order_status_history_once", repeated.ConstraintName);
    }
}
