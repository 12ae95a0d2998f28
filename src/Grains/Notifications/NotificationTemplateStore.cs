using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Notifications;

/// <summary>An empresa's event → template mapping (notification_templates).</summary>
public sealed class NotificationTemplateStore(NpgsqlDataSource database)
{
    private const string Columns = "event AS Event, name AS Name, language AS Language, parameters AS Parameters";

    private const string ListSql = $"SELECT {Columns} FROM notification_templates WHERE tenant_id = @TenantId";

    private const string FindSql = $"SELECT {Columns} FROM notification_templates WHERE tenant_id = @TenantId AND event = @Event";

    private const string DeleteSql = "DELETE FROM notification_templates WHERE tenant_id = @TenantId";

    private const string InsertSql = """
        INSERT INTO notification_templates (tenant_id, event, name, language, parameters)
        VALUES (@TenantId, @Event, @Name, @Language, @Parameters)
        """;

    public async Task<IReadOnlyList<NotificationTemplate>> ListAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var rows = await connection.QueryAsync<Row>(ListSql, new { TenantId = tenantId });
        return Ordered(rows.Select(r => r.ToTemplate()));
    }

    public async Task<NotificationTemplate?> FindAsync(Guid tenantId, string eventName)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QuerySingleOrDefaultAsync<Row>(FindSql, new { TenantId = tenantId, Event = eventName }))?.ToTemplate();
    }

    /// <summary>Replaces the whole mapping and writes its audit row, in one transaction.</summary>
    public async Task<IReadOnlyList<NotificationTemplate>> ReplaceAsync(Guid tenantId, Actor actor, IReadOnlyList<NotificationTemplate> mapping)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(DeleteSql, new { TenantId = tenantId }, transaction);
        foreach (var template in mapping)
        {
            await connection.ExecuteAsync(InsertSql, new
            {
                TenantId = tenantId, template.Event, template.Name, template.Language, Parameters = template.Parameters.ToArray(),
            }, transaction);
        }

        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "canal", "whatsapp", "notificaciones",
            mapping.ToDictionary(t => t.Event, t => new { nombre = t.Name, idioma = t.Language, parametros = t.Parameters }));
        await transaction.CommitAsync();
        return Ordered(mapping);
    }

    private static List<NotificationTemplate> Ordered(IEnumerable<NotificationTemplate> templates) =>
        [.. templates.OrderBy(t => NotificationEvents.All.ToList().IndexOf(t.Event))];

    private sealed record Row(string Event, string Name, string Language, string[] Parameters)
    {
        public NotificationTemplate ToTemplate() => new(Event, Name, Language, Parameters);
    }
}
