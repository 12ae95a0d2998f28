using Dapper;
using Npgsql;

namespace AgenteVendedor.Notifications;

/// <summary>
/// The notifications of orders as staff see them. A sent one follows the delivery statuses Meta reported for its
/// message id (delivery_statuses, which may arrive in any order): read beats delivered beats failed beats sent,
/// so a late "delivered" never takes a "read" back.
/// </summary>
public static class OrderNotifications
{
    private const string ForOrdersSql = """
        SELECT n.order_id AS OrderId, n.event AS Event, n.via AS Via, n.template AS Template,
               CASE WHEN n.status <> 'enviada' THEN n.status
                    WHEN bool_or(d.status = 'read') THEN 'leida'
                    WHEN bool_or(d.status = 'delivered') THEN 'entregada'
                    WHEN bool_or(d.status = 'failed') THEN 'fallida'
                    ELSE 'enviada' END AS Status,
               coalesce(n.error_code, min(d.error_code) FILTER (WHERE d.status = 'failed')) AS ErrorCode,
               n.error_message AS ErrorMessage, n.created_at AS CreatedAt,
               greatest(n.updated_at, max(d.at)) AS UpdatedAt
          FROM order_notifications n
          LEFT JOIN delivery_statuses d ON d.external_id = n.external_id
         WHERE n.tenant_id = @TenantId AND n.order_id = ANY(@Ids)
         GROUP BY n.id
         ORDER BY n.order_id, n.created_at, n.id
        """;

    public static async Task<ILookup<Guid, OrderNotification>> ForOrdersAsync(NpgsqlConnection connection, Guid tenantId, Guid[] ids) =>
        (await connection.QueryAsync<Row>(ForOrdersSql, new { TenantId = tenantId, Ids = ids }))
            .ToLookup(r => r.OrderId, r => new OrderNotification(r.Event, r.Via, r.Template, r.Status, r.ErrorCode, r.ErrorMessage, r.CreatedAt, r.UpdatedAt));

    private sealed record Row(
        Guid OrderId, string Event, string? Via, string? Template, string Status, string? ErrorCode, string? ErrorMessage, DateTime CreatedAt, DateTime UpdatedAt);
}
