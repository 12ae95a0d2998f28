using AgenteVendedor.Common;
using AgenteVendedor.Database;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AgenteVendedor.Sales;

public sealed class OrderStore(NpgsqlDataSource database, ILogger<OrderStore> logger)
{
    /// <summary>A line as the database took it: the product's facts at the moment of sale and its new stock.</summary>
    public sealed record TakenLine(Guid ProductId, string Sku, string Name, decimal Price, int Stock);

    public abstract record PlaceResult;

    public sealed record Placed(Order Order, IReadOnlyList<TakenLine> Lines) : PlaceResult;

    public sealed record Short(Guid ProductId, int Available) : PlaceResult;

    public sealed record UnknownCustomer : PlaceResult;

    /// <summary>place_order() caught an error of this order alone and rolled it back (sql/0080).</summary>
    public sealed record Failed(string SqlState, string Message) : PlaceResult
    {
        /// <summary>Class 22 (data exception) or 23 (constraint): the order's own figures do not fit, it would fail again.</summary>
        public bool IsDataError => SqlState.StartsWith("22", StringComparison.Ordinal) || SqlState.StartsWith("23", StringComparison.Ordinal);
    }

    /// <summary>The group's commit was lost with its connection: this order may or may not be recorded.</summary>
    public sealed record OutcomeUnknown(Guid OrderId) : PlaceResult;

    /// <summary>
    /// The connection was lost while the transaction was committing: the orders may or may not be
    /// recorded, and the stock of their products in memory can no longer be trusted.
    /// </summary>
    public sealed class CommitOutcomeUnknownException(IReadOnlyList<Guid> orderIds, Exception inner)
        : Exception("The commit of a group of orders may or may not have happened.", inner)
    {
        /// <summary>The ids the orders have if they were recorded, in the order of the group.</summary>
        public IReadOnlyList<Guid> OrderIds { get; } = orderIds;
    }

    /// <summary>The database could not be reached or dropped the connection before the commit: nothing was recorded.</summary>
    public static bool IsUnavailable(Exception e) =>
        e is TimeoutException || (e is NpgsqlException database && DatabaseFaults.IsUnavailable(database));
    /// <summary>An order with this idempotency key was placed before: nothing was taken this time.</summary>
    public sealed record Repeated(Guid OrderId) : PlaceResult;

    /// <summary>An order to place, with one line per product.</summary>
    public sealed record Pending(Actor Actor, OrderRequest Request);

    public async Task<PlaceResult> PlaceAsync(Guid tenantId, Actor actor, OrderRequest request, DateTime now) =>
        (await PlaceBatchAsync(tenantId, [new Pending(actor, request)], now))[0];

    /// <summary>
    /// Places several orders in one transaction and one round trip (group commit). Each order is
    /// all or nothing on its own: a short one, or one the database refuses (sql/0080), changes nothing
    /// and does not stop the others.
    /// </summary>
    public async Task<IReadOnlyList<PlaceResult>> PlaceBatchAsync(Guid tenantId, IReadOnlyList<Pending> orders, DateTime now)
    {
        try
        {
            return await PlaceInOneTransactionAsync(tenantId, orders, now);
        }
        catch (Exception e) when (LogFailure(e, tenantId, orders.Count))
        {
            throw; // not reached: the filter only logs
        }
    }

    private bool LogStockFailure(Exception e, Guid tenantId)
    {
        logger.LogWarning(e, "Could not read the stock of tenant {TenantId} again", tenantId);
        return false;
    }

    private bool LogFailure(Exception e, Guid tenantId, int count)
    {
        logger.LogWarning(e, "A group of {Count} order(s) of tenant {TenantId} failed", count, tenantId);
        return false;
    }

    private async Task<IReadOnlyList<PlaceResult>> PlaceInOneTransactionAsync(Guid tenantId, IReadOnlyList<Pending> orders, DateTime now)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var ids = new Guid[orders.Count];
        for (var i = 0; i < orders.Count; i++)
        {
            var (actor, request) = orders[i];
            ids[i] = Guid.CreateVersion7();
            var command = new NpgsqlBatchCommand(
                "SELECT outcome, product_id, sku, name, price, stock FROM place_order_once($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)request.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = ids[i], NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)request.CustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = request.Channel, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)request.Notes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = actor.UserId == Guid.Empty ? DBNull.Value : actor.UserId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = request.Items.Select(l => l.ProductId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = request.Items.Select(l => l.Quantity).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(), NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = FirstStatus(request), NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(command);
        }

        var results = new PlaceResult[orders.Count];
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            for (var i = 0; i < orders.Count; i++)
            {
                var lines = new List<TakenLine>();
                string? outcome = null;
                var shortProduct = Guid.Empty;
                var repeatedOrder = Guid.Empty;
                var available = 0;
                Failed? failure = null;
                while (await reader.ReadAsync())
                {
                    outcome = reader.GetString(0);
                    if (outcome == "ok")
                    {
                        lines.Add(new TakenLine(reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4), reader.GetInt32(5)));
                    }
                    else if (outcome == "repetido")
                    {
                        repeatedOrder = reader.GetGuid(1);
                    }
                    else if (outcome == "corto")
                    {
                        shortProduct = reader.GetGuid(1);
                        available = reader.GetInt32(5);
                    }
                    else if (outcome == "error")
                    {
                        failure = new Failed(reader.GetString(2), reader.GetString(3));
                    }
                }

                var request = orders[i].Request;
                results[i] = outcome switch
                {
                    "ok" => new Placed(ToOrder(ids[i], orders[i].Actor, request, lines, now), lines),
                    "corto" => new Short(shortProduct, available),
                    "error" => failure!,
                    "repetido" => new Repeated(repeatedOrder),
                    _ => new UnknownCustomer(),
                };
                if (failure is not null)
                {
                    logger.LogWarning("place_order refused order {OrderId} of tenant {TenantId}: {SqlState} {Message}",
                        ids[i], tenantId, failure.SqlState, failure.Message);
                }

                await reader.NextResultAsync();
            }
        }

        try
        {
            await transaction.CommitAsync();
        }
        catch (PostgresException e) when (e.InvariantSeverity == "ERROR")
        {
            // The server refused the commit and said so: the transaction is rolled back, nothing is recorded.
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw new CommitOutcomeUnknownException(ids, e);
        }

        return results;
    }

    private const string StockSql = "SELECT id AS ProductId, stock AS Stock FROM products WHERE tenant_id = @TenantId AND id = ANY(@Ids)";

    public sealed record ProductStock(Guid ProductId, int Stock);

    /// <summary>The stock PostgreSQL holds now for the given products of the empresa.</summary>
    public async Task<IReadOnlyList<ProductStock>> StockOfAsync(Guid tenantId, IReadOnlyCollection<Guid> productIds)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync();
            return (await connection.QueryAsync<ProductStock>(StockSql, new { TenantId = tenantId, Ids = productIds.ToArray() })).ToList();
        }
        catch (Exception e) when (LogStockFailure(e, tenantId))
        {
            throw; // not reached: the filter only logs
        }
    }

    private static string FirstStatus(OrderRequest request) => request.StartsPending ? OrderStatus.Pending : OrderStatus.Confirmed;

    private static Order ToOrder(Guid id, Actor actor, OrderRequest request, List<TakenLine> lines, DateTime now)
    {
        var byProduct = lines.ToDictionary(l => l.ProductId);
        var items = request.Items.Select(l =>
        {
            var taken = byProduct[l.ProductId];
            return new OrderItem(l.ProductId, taken.Sku, taken.Name, l.Quantity, taken.Price, taken.Price * l.Quantity);
        }).ToList();
        var status = FirstStatus(request);
        var placed = new OrderStatusChange(null, status, actor.UserId == Guid.Empty ? null : actor.UserId, null, now);
        return new Order(id, status, items.Sum(i => i.Subtotal), items, request.CustomerId, request.Channel, request.Notes, now, null,
            [placed], OrderLifecycle.NextOf(status));
    }
}
