using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Tenancy;
using AgenteVendedor.Text;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Sales;

/// <summary>
/// The estados an order goes through, who may move it, and the move itself: one transaction that locks the
/// order, checks the step against the estado PostgreSQL holds, records it in order_status_history and the
/// audit log, and gives the stock back when the order is annulled.
/// </summary>
public sealed class OrderLifecycle(NpgsqlDataSource database)
{
    /// <summary>order_status_history.note is varchar(500).</summary>
    public const int MaxNoteLength = 500;

    // Every order has taken its stock at placement, so annulling it at any step but the last gives it back.
    // A shipped order may still be annulled (it came back, or never arrived); a delivered one may not.
    private static readonly Dictionary<string, string[]> Steps = new(StringComparer.Ordinal)
    {
        [OrderStatus.Pending] = [OrderStatus.Confirmed, OrderStatus.Annulled],
        [OrderStatus.Confirmed] = [OrderStatus.Preparing, OrderStatus.Shipped, OrderStatus.Annulled],
        [OrderStatus.Preparing] = [OrderStatus.Shipped, OrderStatus.Annulled],
        [OrderStatus.Shipped] = [OrderStatus.Delivered, OrderStatus.Annulled],
        [OrderStatus.Delivered] = [],
        [OrderStatus.Annulled] = [],
    };

    /// <summary>The estados that count as a sale in reports, as a SQL list: confirmed and every step after it.</summary>
    public const string SaleStatusesSql =
        $"'{OrderStatus.Confirmed}', '{OrderStatus.Preparing}', '{OrderStatus.Shipped}', '{OrderStatus.Delivered}'";

    /// <summary>Where an order in <paramref name="status"/> may go next, in the order of the lifecycle.</summary>
    public static IReadOnlyList<string> NextOf(string status) => Steps.GetValueOrDefault(status) ?? [];

    public static bool Allows(string from, string to) => NextOf(from).Contains(to, StringComparer.Ordinal);

    public static bool ReturnsStock(string to) => to == OrderStatus.Annulled;

    /// <summary>Why the move cannot even be tried (an unknown estado, a note that does not fit, a role that may not annul), or null.</summary>
    public static Problem? Precheck(Actor actor, string to, string? note)
    {
        if (!Steps.ContainsKey(to))
        {
            return Problem.Invalid("estado", $"Estado desconocido. Usa uno de: {string.Join(", ", OrderStatus.All)}.");
        }

        if (TextFit.ColumnProblem(note, MaxNoteLength) is { } misfit)
        {
            return Problem.Invalid("nota", misfit);
        }

        // The role table: annulling a sale is for admins, whichever route asks for it.
        return to == OrderStatus.Annulled && actor.Role != Roles.Admin
            ? new Problem(ProblemKind.Forbidden, "Solo un administrador puede anular una venta.")
            : null;
    }

    public abstract record MoveResult;

    /// <summary>The order moved from <paramref name="From"/>; Returned is the stock given back (anulada only).</summary>
    public sealed record Moved(string From, IReadOnlyList<ReturnedStock> Returned) : MoveResult;

    /// <summary>The order already was in the estado asked for: nothing was written.</summary>
    public sealed record AlreadyThere : MoveResult;

    /// <summary>The lifecycle has no step from <paramref name="From"/> to the estado asked for: nothing was written.</summary>
    public sealed record NotAllowed(string From) : MoveResult;

    /// <summary>No order with that id in this empresa.</summary>
    public sealed record Missing : MoveResult;

    public sealed record ReturnedStock(Guid ProductId, int Stock, int Quantity);

    /// <summary>What a refused or empty move answers; null when the order moved (or, unless <paramref name="strict"/>, already was there).</summary>
    public static Problem? ProblemOf(MoveResult result, string to, bool strict) => result switch
    {
        Missing => Problem.NotFound("No existe una venta con ese id en esta empresa."),
        AlreadyThere when strict => Problem.Conflict($"La venta ya estaba {to}."),
        NotAllowed refused => new Problem(ProblemKind.Conflict, Refusal(refused.From, to), [new FieldError("estado", Refusal(refused.From, to))]),
        _ => null,
    };

    private static string Refusal(string from, string to) => NextOf(from) is { Count: > 0 } next
        ? $"Una venta {from} no puede pasar a {to}. Desde {from} puede pasar a: {string.Join(", ", next)}."
        : $"Una venta {from} no puede pasar a {to}: {from} es un estado final.";

    private const string LockSql = "SELECT status FROM orders WHERE id = @Id AND tenant_id = @TenantId FOR UPDATE";

    private const string MoveSql = """
        UPDATE orders
           SET status = @To,
               annulled_at = CASE WHEN @To = 'anulada' THEN @Now ELSE annulled_at END,
               annulled_by = CASE WHEN @To = 'anulada' THEN @UserId ELSE annulled_by END
         WHERE id = @Id AND tenant_id = @TenantId
        """;

    private const string HistorySql = """
        INSERT INTO order_status_history (tenant_id, order_id, from_status, to_status, user_id, note, created_at)
        VALUES (@TenantId, @Id, @From, @To, @UserId, @Note, @Now)
        """;

    private const string ReturnStockSql = """
        UPDATE products p SET stock = p.stock + i.quantity, updated_at = @Now
          FROM order_items i
         WHERE i.order_id = @Id AND p.id = i.product_id AND p.tenant_id = @TenantId
        RETURNING p.id AS ProductId, p.stock AS Stock, i.quantity AS Quantity
        """;

    /// <summary>
    /// Moves the order to <paramref name="to"/> if the lifecycle allows it from the estado it has now, writing
    /// the history row and the audit entry (<c>venta/{auditAction}</c>) in the same transaction.
    /// </summary>
    public async Task<MoveResult> MoveAsync(Guid tenantId, Actor actor, Guid orderId, string to, string? note, string auditAction, DateTime now)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var args = new
        {
            Id = orderId,
            TenantId = tenantId,
            From = (string?)null,
            To = to,
            UserId = actor.UserId == Guid.Empty ? (Guid?)null : actor.UserId,
            Note = note,
            Now = now,
        };

        // The row lock makes concurrent moves of one order (from any activation) take turns: the second sees the first's estado.
        var from = await connection.ExecuteScalarAsync<string?>(LockSql, args, transaction);
        if (from is null)
        {
            return new Missing();
        }

        if (from == to)
        {
            return new AlreadyThere();
        }

        if (!Allows(from, to))
        {
            return new NotAllowed(from);
        }

        await connection.ExecuteAsync(MoveSql, args, transaction);
        await connection.ExecuteAsync(HistorySql, args with { From = from }, transaction);
        IReadOnlyList<ReturnedStock> returned = ReturnsStock(to)
            ? (await connection.QueryAsync<ReturnedStock>(ReturnStockSql, args, transaction)).ToList()
            : [];
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "venta", orderId.ToString(), auditAction, new
        {
            de = from,
            a = to,
            nota = note,
            stock_devuelto = ReturnsStock(to) ? returned.Select(r => new { producto_id = r.ProductId, cantidad = r.Quantity }) : null,
        });
        await transaction.CommitAsync();
        return new Moved(from, returned);
    }
}
