using System.Text;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Audit;

public sealed class AuditStore(NpgsqlDataSource database)
{
    private const string SelectSql = """
        SELECT id AS Id, user_id AS UserId, entity AS Entity, entity_id AS EntityId, action AS Action,
               detail::text AS DetailJson, created_at AS CreatedAt
          FROM audit_log
         WHERE tenant_id = @TenantId
        """;

    private const string CountSql = "SELECT count(*) FROM audit_log WHERE tenant_id = @TenantId";

    public async Task<Page<AuditEntry>> QueryAsync(Guid tenantId, AuditQuery query)
    {
        var filters = new StringBuilder();
        if (query.Entity is not null) { filters.Append(" AND entity = @Entity"); }
        if (query.Action is not null) { filters.Append(" AND action = @Action"); }
        if (query.UserId is not null) { filters.Append(" AND user_id = @UserId"); }
        if (query.From is not null) { filters.Append(" AND created_at >= @From"); }
        if (query.To is not null) { filters.Append(" AND created_at < @To"); }

        var parameters = new
        {
            TenantId = tenantId,
            query.Entity,
            query.Action,
            query.UserId,
            query.From,
            query.To,
            query.Size,
            Offset = (long)(query.Page - 1) * query.Size,
        };
        await using var connection = await database.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>(CountSql + filters, parameters);
        var items = (await connection.QueryAsync<AuditEntry>(
            SelectSql + filters + " ORDER BY created_at DESC, id DESC LIMIT @Size OFFSET @Offset", parameters)).ToList();
        return new Page<AuditEntry>(items, total, query.Page, query.Size);
    }
}
