using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Channels;

public sealed record WhatsAppSecrets(string AccessToken, string AppSecret, string VerifyToken);

public sealed record TelegramSecrets(string BotToken, string SecretToken);

/// <summary>A configured channel as the silo uses it; its secrets stay sealed (bound to <see cref="Id"/>) until opened.</summary>
public sealed record ChannelRecord(Guid Id, Guid TenantId, string Kind, string ExternalId, byte[] SealedSecrets, string? CatalogId = null)
{
    public SealedSecret Secrets => new(Id, SealedSecrets);
}

/// <summary>
/// One inbound message as the inbox stores it. <see cref="Text"/> is what the agent reads; <see cref="Kind"/> is one of
/// <see cref="MessageKinds"/>; <see cref="Payload"/> is the platform's JSON object for that kind (at most
/// <see cref="MessageKinds.MaxPayloadLength"/> characters), or null.
/// </summary>
public sealed record InboxRow(string Channel, string MessageId, Guid TenantId, string ConversationKey, string? SenderName, string Text, DateTime SentAt,
    string Kind = MessageKinds.Text, string? Payload = null);

public sealed class ChannelStore(NpgsqlDataSource database)
{
    // The channel keeps its id when it is reconfigured: its secrets are sealed to that id, and
    // Telegram's webhook URL (which names it) stays the same.
    private const string ExistingIdSql = "SELECT id FROM channels WHERE tenant_id = @TenantId AND kind = @Kind FOR UPDATE";

    private const string InsertSql = """
        INSERT INTO channels (id, tenant_id, kind, external_id, secrets, verify_token_hash, waba_id, catalog_id)
        VALUES (@Id, @TenantId, @Kind, @ExternalId, @Secrets, @VerifyTokenHash, @WabaId, @CatalogId)
        ON CONFLICT (tenant_id, kind) DO NOTHING
        RETURNING id AS Id, kind AS Kind, external_id AS ExternalId, updated_at AS UpdatedAt, waba_id AS WabaId, catalog_id AS CatalogId
        """;

    private const string UpdateSql = """
        UPDATE channels
           SET external_id = @ExternalId, secrets = @Secrets, verify_token_hash = @VerifyTokenHash, waba_id = @WabaId, catalog_id = @CatalogId,
               updated_at = now()
         WHERE id = @Id
        RETURNING id AS Id, kind AS Kind, external_id AS ExternalId, updated_at AS UpdatedAt, waba_id AS WabaId, catalog_id AS CatalogId
        """;

    /// <summary>
    /// Creates or reconfigures the empresa's channel of that kind and writes its audit row, in one
    /// transaction. <paramref name="seal"/> seals the secrets to the channel's id once that id is known.
    /// <paramref name="wabaId"/> and <paramref name="catalogId"/> (WhatsApp) are replaced too: a configuration without them clears them.
    /// </summary>
    public async Task<Outcome<ChannelView>> SaveAsync(
        Guid tenantId, Actor actor, string kind, string? externalId, Func<Guid, byte[]> seal, byte[]? verifyTokenHash,
        string? wabaId = null, string? catalogId = null)
    {
        // Two first configurations racing: the loser finds the winner's row on its second pass.
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            try
            {
                var existing = await connection.QuerySingleOrDefaultAsync<Guid?>(ExistingIdSql, new { TenantId = tenantId, Kind = kind }, transaction);
                var id = existing ?? Guid.CreateVersion7();
                // Telegram's webhook URL names our channel id, so its external id is that id.
                var row = new { Id = id, TenantId = tenantId, Kind = kind, ExternalId = externalId ?? id.ToString(), Secrets = seal(id), VerifyTokenHash = verifyTokenHash, WabaId = wabaId, CatalogId = catalogId };
                var saved = await connection.QuerySingleOrDefaultAsync<ChannelView>(existing is null ? InsertSql : UpdateSql, row, transaction);
                if (saved is null)
                {
                    await transaction.RollbackAsync();
                    if (attempt < 3)
                    {
                        continue;
                    }

                    return new Problem(ProblemKind.Unavailable, "El canal se está configurando desde otra solicitud; intenta de nuevo.", RetryAfterSeconds: 1);
                }

                await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "canal", saved.Id.ToString(), "configurar",
                    new { tipo = kind, id_externo = saved.ExternalId, waba_id = saved.WabaId, catalog_id = saved.CatalogId });
                await transaction.CommitAsync();
                return saved;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return Problem.Conflict("Ese número de WhatsApp ya está conectado a otra empresa.");
            }
        }
    }

    private const string Columns = "id AS Id, tenant_id AS TenantId, kind AS Kind, external_id AS ExternalId, secrets AS SealedSecrets, catalog_id AS CatalogId";

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

    private const string ListSql = """
        SELECT id AS Id, kind AS Kind, external_id AS ExternalId, updated_at AS UpdatedAt, waba_id AS WabaId, catalog_id AS CatalogId
          FROM channels
         WHERE tenant_id = @TenantId
         ORDER BY kind
        """;

    /// <summary>An empresa's channels as its admins see them: no secrets are read.</summary>
    public async Task<IReadOnlyList<ChannelView>> ListForTenantAsync(Guid tenantId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<ChannelView>(ListSql, new { TenantId = tenantId })).AsList();
    }

    /// <summary>True when some WhatsApp channel's verify token has one of these HMACs (an index lookup; nothing is decrypted).</summary>
    public async Task<bool> VerifyTokenExistsAsync(byte[][] hashes)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM channels WHERE kind = 'whatsapp' AND verify_token_hash = ANY(@Hashes))", new { Hashes = hashes });
    }

    /// <summary>A channel row as the start-up maintenance sees it.</summary>
    public sealed record StoredChannel(Guid Id, string Kind, byte[] SealedSecrets, bool HasVerifyTokenHash);

    private const string NeedingMaintenanceSql = """
        SELECT id AS Id, kind AS Kind, secrets AS SealedSecrets, verify_token_hash IS NOT NULL AS HasVerifyTokenHash
          FROM channels
         WHERE substring(secrets FROM 1 FOR 5) <> @Header OR (kind = 'whatsapp' AND verify_token_hash IS NULL)
        """;

    /// <summary>
    /// Rows whose secrets do not start with <paramref name="currentHeader"/> (older layout or older key),
    /// and WhatsApp rows without a verify-token HMAC.
    /// </summary>
    public async Task<IReadOnlyList<StoredChannel>> NeedingMaintenanceAsync(byte[] currentHeader)
    {
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<StoredChannel>(NeedingMaintenanceSql, new { Header = currentHeader })).AsList();
    }

    /// <summary>Replaces a row's secrets, only if nobody changed them since they were read.</summary>
    public async Task<bool> ResealAsync(Guid id, byte[] expected, byte[] secrets, byte[]? verifyTokenHash)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteAsync("""
            UPDATE channels SET secrets = @Secrets, verify_token_hash = coalesce(@VerifyTokenHash, verify_token_hash)
             WHERE id = @Id AND secrets = @Expected
            """, new { Id = id, Expected = expected, Secrets = secrets, VerifyTokenHash = verifyTokenHash }) > 0;
    }

    private const string InsertInboxSql = """
        INSERT INTO inbound_messages (channel, message_id, tenant_id, conversation_key, sender_name, text, sent_at, kind, payload)
        VALUES (@Channel, @MessageId, @TenantId, @ConversationKey, @SenderName, @Text, @SentAt, @Kind, @Payload::jsonb)
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
