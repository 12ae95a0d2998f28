using AgenteVendedor.Common;
using AgenteVendedor.Sales;
using AgenteVendedor.Testing;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Grains.Tests;

/// <summary>
/// place_order_once() alone keeps a keyed order (a chat confirmation) from being placed twice:
/// concurrent writers with the same key, bypassing the grain, take the stock once.
/// </summary>
public sealed class OrderKeyGuardTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<(Guid Tenant, Guid Product)> SeedAsync(int stock)
    {
        var tenantId = Guid.NewGuid();
        var productId = Guid.NewGuid();
        await using var connection = await _database.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO tenants (id, name) VALUES (@tenantId, 'Repetida')", new { tenantId });
        await connection.ExecuteAsync(
            "INSERT INTO products (id, tenant_id, sku, name, price, stock) VALUES (@productId, @tenantId, 'K-1', 'Clave', 1000, @stock)",
            new { productId, tenantId, stock });
        return (tenantId, productId);
    }

    [Fact]
    public async Task Concurrent_orders_with_one_key_place_one_order_and_take_the_stock_once()
    {
        var (tenantId, productId) = await SeedAsync(stock: 10);
        await using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        var store = new OrderStore(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrderStore>.Instance);
        var actor = new Actor(Guid.Empty, "agente");
        var request = new OrderRequest(null, [new OrderLine(productId, 2)], "whatsapp", null, "chat:misma-clave");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.PlaceAsync(tenantId, actor, request, DateTime.UtcNow))));

        var placed = Assert.Single(results.OfType<OrderStore.Placed>());
        Assert.Equal(19, results.OfType<OrderStore.Repeated>().Count(r => r.OrderId == placed.Order.Id));
        await using var check = await _database.OpenAsync();
        Assert.Equal(8, await check.ExecuteScalarAsync<int>("SELECT stock FROM products WHERE id = @productId", new { productId }));
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT count(*)::int FROM orders WHERE tenant_id = @tenantId", new { tenantId }));
    }

    [Fact]
    public async Task A_refused_keyed_order_keeps_no_claim_and_other_empresas_keys_do_not_collide()
    {
        var (tenantId, productId) = await SeedAsync(stock: 0);
        await using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        var store = new OrderStore(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrderStore>.Instance);
        var actor = new Actor(Guid.Empty, "agente");
        var request = new OrderRequest(null, [new OrderLine(productId, 1)], "whatsapp", null, "chat:clave-corta");

        Assert.IsType<OrderStore.Short>(await store.PlaceAsync(tenantId, actor, request, DateTime.UtcNow));
        await using (var connection = await _database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE products SET stock = 3 WHERE id = @productId", new { productId });
        }

        Assert.IsType<OrderStore.Placed>(await store.PlaceAsync(tenantId, actor, request, DateTime.UtcNow));
        var (otherTenant, otherProduct) = await SeedAsync(stock: 3);
        Assert.IsType<OrderStore.Placed>(await store.PlaceAsync(otherTenant, actor, request with { Items = [new OrderLine(otherProduct, 1)] }, DateTime.UtcNow));
    }
}
