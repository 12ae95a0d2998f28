using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using Dapper;
using Npgsql;
using Orleans.Concurrency;

namespace AgenteVendedor.Conversations;

/// <summary>The conversations list and their transcripts in PostgreSQL (the session itself is grain state).</summary>
public sealed class ConversationStore(NpgsqlDataSource database)
{
    private const string EnsureSql = """
        INSERT INTO conversations (id, conversation_key, tenant_id, channel, address)
        VALUES (@Id, @Key, @TenantId, @Channel, @Address)
        ON CONFLICT (conversation_key) DO NOTHING;
        SELECT id FROM conversations WHERE conversation_key = @Key;
        """;

    public async Task<Guid> EnsureAsync(Guid id, string key, Guid tenantId, string channel, string address)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<Guid>(EnsureSql, new { Id = id, Key = key, TenantId = tenantId, Channel = channel, Address = address });
    }

    private const string AppendSql = """
        INSERT INTO messages (id, conversation_id, role, text) VALUES (@MessageId, @Id, @Role, @Text);
        UPDATE conversations SET last_message = @Text, updated_at = clock_timestamp(), state = @State,
               customer_name = coalesce(@CustomerName, customer_name), customer_phone = coalesce(@CustomerPhone, customer_phone)
         WHERE id = @Id;
        """;

    public async Task AppendAsync(Guid conversationId, string role, string text, bool human, string? customerName, string? customerPhone)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(AppendSql, new
        {
            MessageId = Guid.CreateVersion7(),
            Id = conversationId,
            Role = role,
            Text = text,
            State = human ? "humano" : "agente",
            CustomerName = customerName,
            CustomerPhone = customerPhone,
        });
    }

    /// <summary>A person takes the chat over (or gives it back): the new state and its audit row commit together.</summary>
    public async Task SetStateAsync(Guid conversationId, bool human, Guid tenantId, Actor actor)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("UPDATE conversations SET state = @State, updated_at = clock_timestamp() WHERE id = @Id",
            new { Id = conversationId, State = human ? "humano" : "agente" }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "conversacion", conversationId.ToString(),
            human ? "tomar" : "liberar", new { estado = human ? "humano" : "agente" });
        await transaction.CommitAsync();
    }

    /// <summary>
    /// A person's reply, in the transcript and in the audit log (who, when, how long, what the platform
    /// answered — not the text, which stays in the transcript where retention applies).
    /// </summary>
    public async Task AppendHumanReplyAsync(Guid conversationId, string text, bool handoff, Guid tenantId, Actor actor, string channel, string? externalId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(AppendSql, new
        {
            MessageId = Guid.CreateVersion7(),
            Id = conversationId,
            Role = "humano",
            Text = text,
            State = handoff ? "humano" : "agente",
            CustomerName = (string?)null,
            CustomerPhone = (string?)null,
        }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "conversacion", conversationId.ToString(), "responder",
            new { canal = channel, caracteres = text.Length, id_externo = externalId });
        await transaction.CommitAsync();
    }

    public const string SummaryColumns = """
        id AS Id, channel AS Channel, customer_phone AS CustomerPhone, customer_name AS CustomerName, state AS State,
        last_message AS LastMessage, updated_at AS UpdatedAt
        """;

    public async Task<(ConversationSummary? Summary, List<TranscriptLine> Messages)> DetailAsync(Guid conversationId)
    {
        await using var connection = await database.OpenConnectionAsync();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(
            $"SELECT {SummaryColumns} FROM conversations WHERE id = @Id", new { Id = conversationId });
        var lines = (await connection.QueryAsync<TranscriptLine>(
            "SELECT role AS Role, text AS Text, created_at AS At FROM messages WHERE conversation_id = @Id ORDER BY created_at, id",
            new { Id = conversationId })).AsList();
        return (summary, lines);
    }
}

/// <summary>Reads the conversations list; stateless, so it scales with the load.</summary>
[StatelessWorker, Reentrant]
public sealed class ConversationDirectoryGrain(NpgsqlDataSource database) : Grain, IConversationDirectoryGrain
{
    private const string Filter = """
          FROM conversations
         WHERE tenant_id = @TenantId
           AND (@State::text IS NULL OR state = @State::text)
           AND (@Channel::text IS NULL OR channel = @Channel::text)
        """;

    public async Task<Page<ConversationSummary>> ListAsync(string? state, string? channel, int page, int size)
    {
        var args = new { TenantId = this.GetPrimaryKey(), State = state, Channel = channel, Size = size, Offset = (long)(page - 1) * size };
        await using var connection = await database.OpenConnectionAsync();
        var total = await connection.ExecuteScalarAsync<long>("SELECT count(*) " + Filter, args);
        var items = (await connection.QueryAsync<ConversationSummary>(
            $"SELECT {ConversationStore.SummaryColumns} {Filter} ORDER BY updated_at DESC, id DESC LIMIT @Size OFFSET @Offset", args)).AsList();
        return new Page<ConversationSummary>(items, total, page, size);
    }

    public async Task<string?> KeyOfAsync(Guid conversationId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT conversation_key FROM conversations WHERE id = @Id AND tenant_id = @TenantId",
            new { Id = conversationId, TenantId = this.GetPrimaryKey() });
    }
}
