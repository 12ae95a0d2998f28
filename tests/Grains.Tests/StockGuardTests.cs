using AgenteVendedor.Catalog;
using AgenteVendedor.Common;
using AgenteVendedor.Sales;
using AgenteVendedor.Testing;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Grains.Tests;

/// <summary>
/// The database alone keeps stock from going negative: what happens if two activations of one
/// TenantGrain ever coexist (a partition) and both sell from memory that says "in stock".
/// </summary>
public sealed class StockGuardTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Concurrent_writers_bypassing_the_grain_still_sell_exactly_the_stock()
    {
        var tenantId = Guid.NewGuid();
        var productId = Guid.NewGuid();
        await using (var connection = await _database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO tenants (id, name) VALUES (@tenantId, 'Particionada')", new { tenantId });
            await connection.ExecuteAsync(
                "INSERT INTO products (id, tenant_id, sku, name, price, stock) VALUES (@productId, @tenantId, 'X-1', 'Escaso', 1000, 25)",
                new { productId, tenantId });
        }

        await using var dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        var store = new OrderStore(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<OrderStore>.Instance);
        var actor = new Actor(Guid.NewGuid(), "admin");
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
            store.PlaceAsync(tenantId, actor, new OrderRequest(null, [new OrderLine(productId, 1)], "api", null), DateTime.UtcNow))));

        Assert.Equal(25, results.Count(r => r is OrderStore.Placed));
        // Every other order was refused as short of exactly this product, with nothing left.
        var shorts = results.OfType<OrderStore.Short>().ToList();
        Assert.Equal(75, shorts.Count);
        Assert.All(shorts, s => Assert.Equal((productId, 0), (s.ProductId, s.Available)));
        await using var check = await _database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT stock FROM products WHERE id = @productId", new { productId }));
        Assert.Equal(25, await check.ExecuteScalarAsync<int>("SELECT count(*)::int FROM orders WHERE tenant_id = @tenantId", new { tenantId }));
        var negative = await Assert.ThrowsAsync<PostgresException>(() =>
            check.ExecuteAsync("UPDATE products SET stock = stock - 1 WHERE id = @productId", new { productId }));
        Assert.Equal(PostgresErrorCodes.CheckViolation, negative.SqlState);
    }
}
