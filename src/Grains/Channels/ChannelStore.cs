using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Channels;

public sealed record WhatsAppSecrets(string AccessToken, string AppSecret, string VerifyToken);

public sealed record TelegramSecrets(string BotToken, string SecretToken);

/// <summary>A configured channel as the silo uses it, secrets opened.</summary>
public sealed record ChannelRecord(Guid Id, Guid TenantId, string Kind, string ExternalId, byte[] Secrets);

public sealed record InboxRow(string Channel, string MessageId, Guid TenantId, string ConversationKey, string? SenderName, string Text, DateTime SentAt);

public sealed class ChannelStore(NpgsqlDataSource database)
{
    private const string UpsertSql = """
        INSERT INTO channels (id, tenant_id, kind, external_id, secrets)
        VALUES (@Id, @TenantId, @Kind, @ExternalId, @Secrets)
        ON CONFLICT (tenant_id, kind) DO UPDATE
           SET external_id = excluded.external_id, secrets = excluded.secrets, updated_at = now()
        RETURNING id AS Id, kind AS Kind, external_id AS ExternalId, updated_at AS UpdatedAt
        """;

    public async Task<Outcome<ChannelView>> SaveAsync(Guid tenantId, Actor actor, string kind, string? externalId, byte[] secrets)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            // Telegram's webhook URL names our channel id, so its external id is that id.
            var saved = await connection.QuerySingleAsync<ChannelView>(UpsertSql,
                new { Id = id, TenantId = tenantId, Kind = kind, ExternalId = externalId ?? id.ToString(), Secrets = secrets }, transaction);
            await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "canal", saved.Id.ToString(), "configurar",
                new { tipo = kind, id_externo = saved.ExternalId });
            await transaction.CommitAsync();
            return saved;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problem.Conflict("Ese número de WhatsApp ya está conectado a otra empresa.");
        }
    }

    private const string Columns = "id AS Id, tenant_id AS TenantId, kind AS Kind, external_id AS ExternalId, secrets AS Secrets";

    public async Task<ChannelRecord?> FindByExternalIdAsync(string kind, string externalId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ChannelRecord>(
            $"SELECT {Columns} FROM channels WHERE kind = @Kind AND external_id = @ExternalId", new { Kind = kind, ExternalId = externalId });
    }

    public async Task<ChannelRecord?> FindForTenantAsync(Guid tenantId, string kind)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ChannelRecord>(
            $"SELECT {Columns} FROM channels WHERE tenant_id = @TenantId AND kind = @Kind", new { TenantId = tenantId, Kind = kind });
    }

    public async Task<IReadOnlyList<ChannelRecord>> AllOfKindAsync(string kind)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<ChannelRecord>($"SELECT {Columns} FROM channels WHERE kind = @Kind", new { Kind = kind })).AsList();
    }

    private const string InsertInboxSql = """
        INSERT INTO inbound_messages (channel, message_id, tenant_id, conversation_key, sender_name, text, sent_at)
        VALUES (@Channel, @MessageId, @TenantId, @ConversationKey, @SenderName, @Text, @SentAt)
        ON CONFLICT (channel, message_id) DO NOTHING
        """;

    /// <summary>Stores each message once; returns the conversation keys that got a new row.</summary>
    public async Task<IReadOnlyList<string>> InsertInboxAsync(IReadOnlyList<InboxRow> rows)
    {
        var woken = new HashSet<string>();
        await using var connection = await database.OpenConnectionAsync();
        foreach (var row in rows)
        {
            if (await connection.ExecuteAsync(InsertInboxSql, row) > 0)
            {
                woken.Add(row.ConversationKey);
            }
        }

        return [.. woken];
    }

    private const string PendingSql = """
        SELECT channel AS Channel, message_id AS MessageId, tenant_id AS TenantId, conversation_key AS ConversationKey,
               sender_name AS SenderName, text AS Text, sent_at AS SentAt
          FROM inbound_messages
         WHERE conversation_key = @Key AND processed_at IS NULL
         ORDER BY sent_at, received_at
        """;

    public async Task<IReadOnlyList<InboxRow>> PendingAsync(string conversationKey)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<InboxRow>(PendingSql, new { Key = conversationKey })).AsList();
    }

    public async Task MarkProcessedAsync(IReadOnlyList<InboxRow> rows)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE inbound_messages SET processed_at = clock_timestamp() WHERE channel = @Channel AND message_id = ANY(@Ids)",
            new { rows[0].Channel, Ids = rows.Select(r => r.MessageId).ToArray() });
    }

    /// <summary>Conversations with rows nobody processed (a crash between the webhook and the answer).</summary>
    public async Task<IReadOnlyList<string>> StrandedAsync(TimeSpan olderThan)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>(
            "SELECT DISTINCT conversation_key FROM inbound_messages WHERE processed_at IS NULL AND received_at < clock_timestamp() - @Age",
            new { Age = olderThan })).AsList();
    }

    public async Task RecordOutboundAsync(Guid conversationId, string? externalId, string status, string? errorCode, string? errorMessage)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO outbound_messages (id, conversation_id, external_id, status, error_code, error_message)
            VALUES (@Id, @ConversationId, @ExternalId, @Status, @ErrorCode, @ErrorMessage)
            """, new { Id = Guid.CreateVersion7(), ConversationId = conversationId, ExternalId = externalId, Status = status, ErrorCode = errorCode, ErrorMessage = errorMessage });
    }

    public async Task RecordStatusAsync(string externalId, string status, DateTime at, string? errorCode)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO delivery_statuses (external_id, status, at, error_code) VALUES (@ExternalId, @Status, @At, @ErrorCode)
            ON CONFLICT (external_id, status) DO NOTHING
            """, new { ExternalId = externalId, Status = status, At = at, ErrorCode = errorCode });
    }
}
