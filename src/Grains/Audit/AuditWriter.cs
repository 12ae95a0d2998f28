using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace AgenteVendedor.Audit;

/// <summary>Writes one audit_log row inside the caller's transaction, so the change and its record commit together.</summary>
public static class AuditWriter
{
    private static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private const string InsertSql = """
        INSERT INTO audit_log (id, tenant_id, user_id, entity, entity_id, action, detail)
        VALUES (@Id, @TenantId, @UserId, @Entity, @EntityId, @Action, @Detail::jsonb)
        """;

    public static Task WriteAsync(
        DbTransaction transaction, Guid tenantId, Guid? userId, string entity, string? entityId, string action, object detail) =>
        transaction.Connection!.ExecuteAsync(InsertSql, new
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            UserId = userId == Guid.Empty ? null : userId,
            Entity = entity,
            EntityId = entityId,
            Action = action,
            Detail = JsonSerializer.Serialize(detail, DetailJson),
        }, transaction);
}
