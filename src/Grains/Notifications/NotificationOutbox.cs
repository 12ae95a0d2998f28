using Dapper;
using Npgsql;

namespace AgenteVendedor.Notifications;

/// <summary>
/// The order_notifications outbox (rows written by sql/0120's trigger with each change of estado): claims the
/// rows that are due, with everything their message needs, and records what became of each.
/// </summary>
public sealed class NotificationOutbox(NpgsqlDataSource database)
{
    /// <summary>A claimed notification and what its message needs. TelegramChat: the customer's latest Telegram chat, if any.</summary>
    public sealed record Due(
        Guid Id, Guid TenantId, string Event, int Attempts, Guid OrderId, string Channel, decimal Total, string CustomerName, string CustomerPhone,
        string EmpresaName, string Currency, string Culture, string? Note, string? Products, string? TelegramChat);

    // A claim moves next_attempt_at past the lease, so a silo that dies mid-send leaves the row for the sweeper
    // (sent at least once), and two activations never send the same row at the same time.
    private const string ClaimSql = """
        WITH claimed AS (
            UPDATE order_notifications n
               SET attempts = n.attempts + 1, next_attempt_at = clock_timestamp() + @Lease, updated_at = clock_timestamp()
             WHERE n.id IN (SELECT d.id FROM order_notifications d
                             WHERE d.tenant_id = @TenantId AND d.status = 'pendiente' AND d.next_attempt_at <= clock_timestamp()
                             ORDER BY d.next_attempt_at LIMIT @Limit FOR UPDATE SKIP LOCKED)
            RETURNING n.id, n.tenant_id, n.order_id, n.event, n.attempts, n.next_attempt_at
        )
        SELECT n.id AS Id, n.tenant_id AS TenantId, n.event AS Event, n.attempts AS Attempts, o.id AS OrderId, o.channel AS Channel,
               o.total AS Total, c.name AS CustomerName, c.phone AS CustomerPhone, t.name AS EmpresaName, t.currency AS Currency,
               t.culture AS Culture,
               (SELECT h.note FROM order_status_history h
                 WHERE h.order_id = o.id AND 'venta_' || h.to_status = n.event ORDER BY h.id DESC LIMIT 1) AS Note,
               (SELECT string_agg(i.quantity || ' × ' || i.name, ', ' ORDER BY i.line) FROM order_items i WHERE i.order_id = o.id) AS Products,
               (SELECT v.address FROM conversations v
                 WHERE v.tenant_id = o.tenant_id AND v.channel = 'telegram' AND v.customer_phone = c.phone
                 ORDER BY v.updated_at DESC LIMIT 1) AS TelegramChat
          FROM claimed n
          JOIN orders o ON o.id = n.order_id
          JOIN customers c ON c.id = o.customer_id
          JOIN tenants t ON t.id = n.tenant_id
         ORDER BY n.next_attempt_at, n.id
        """;

    public async Task<IReadOnlyList<Due>> ClaimAsync(Guid tenantId, int limit, TimeSpan lease)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<Due>(ClaimSql, new { TenantId = tenantId, Limit = limit, Lease = lease })).AsList();
    }

    private const string FinishSql = """
        UPDATE order_notifications
           SET status = @Status, via = @Via, template = @Template, external_id = @ExternalId,
               error_code = @ErrorCode, error_message = @ErrorMessage, updated_at = clock_timestamp()
         WHERE id = @Id AND status = 'pendiente'
        """;

    /// <summary>Records the notification's end: enviada (with the platform's id), fallida (with the refusal) or omitida (with the reason).</summary>
    public async Task FinishAsync(Guid id, string status, string? via, string? template, string? externalId, string? errorCode, string? errorMessage)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(FinishSql, new
        {
            Id = id, Status = status, Via = via, Template = template, ExternalId = externalId, ErrorCode = errorCode, ErrorMessage = errorMessage,
        });
    }

    private const string RetrySql = """
        UPDATE order_notifications
           SET next_attempt_at = clock_timestamp() + @Delay, via = @Via, template = @Template,
               error_code = @ErrorCode, error_message = @ErrorMessage, updated_at = clock_timestamp()
         WHERE id = @Id AND status = 'pendiente'
        """;

    /// <summary>Leaves the notification pendiente, due again after <paramref name="delay"/>, with the last transient error.</summary>
    public async Task RetryLaterAsync(Guid id, TimeSpan delay, string? via, string? template, string? errorCode, string? errorMessage)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(RetrySql, new { Id = id, Delay = delay, Via = via, Template = template, ErrorCode = errorCode, ErrorMessage = errorMessage });
    }

    private const string NextDueSql = """
        SELECT min(next_attempt_at) FROM order_notifications WHERE tenant_id = @TenantId AND status = 'pendiente'
        """;

    /// <summary>When the empresa's next pending notification falls due, or null when none is pending.</summary>
    public async Task<DateTime?> NextDueAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime?>(NextDueSql, new { TenantId = tenantId });
    }

    private const string OverdueSql = """
        SELECT DISTINCT tenant_id FROM order_notifications
         WHERE status = 'pendiente' AND next_attempt_at < clock_timestamp() - @Age
         LIMIT 1000
        """;

    /// <summary>Empresas with notifications due for longer than <paramref name="olderThan"/>: a silo died, or its wake-up was lost.</summary>
    public async Task<IReadOnlyList<Guid>> OverdueTenantsAsync(TimeSpan olderThan)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<Guid>(OverdueSql, new { Age = olderThan })).AsList();
    }
}
