using AgenteVendedor.Channels;
using AgenteVendedor.Audit;
using AgenteVendedor.Common;
using AgenteVendedor.Text;
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

    /// <summary>messages.text is varchar(8000); conversations.last_message is varchar(4096).</summary>
    public const int MaxMessageLength = 8000;

    private const int MaxLastMessageLength = 4096;

    // One statement, so the summary it answers is the one the line just produced.
    private const string AppendSql = $"""
        WITH line AS (INSERT INTO messages (id, conversation_id, role, text, kind) VALUES (@MessageId, @Id, @Role, @Text, @Kind))
        UPDATE conversations SET last_message = @LastMessage, updated_at = clock_timestamp(), state = @State,
               customer_name = coalesce(@CustomerName, customer_name), customer_phone = coalesce(@CustomerPhone, customer_phone)
         WHERE id = @Id
        RETURNING {SummaryColumns}
        """;

    /// <summary>Adds a transcript line; returns the conversation as the list now shows it.</summary>
    public async Task<ConversationSummary?> AppendAsync(Guid conversationId, string role, string text, bool human, string? customerName, string? customerPhone)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<ConversationSummary>(AppendSql, AppendArgs(conversationId, role, text, human, customerName, customerPhone));
    }

    /// <summary>
    /// A customer's message as its own line, with its kind (<see cref="MessageKinds"/>); returns the line's id (media and
    /// what the agent derives are linked to it) and the conversation as the list now shows it.
    /// </summary>
    public async Task<(Guid LineId, ConversationSummary? Summary)> AppendInboundAsync(Guid conversationId, string kind, string text, bool human, string? customerName, string? customerPhone)
    {
        var lineId = Guid.CreateVersion7();
        await using var connection = await database.OpenConnectionAsync();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(AppendSql,
            AppendArgs(conversationId, "cliente", text, human, customerName, customerPhone, lineId, kind));
        return (lineId, summary);
    }

    /// <summary>What the agent understood of a line: a voice note's transcription, a photo's description.</summary>
    public async Task AnnotateAsync(Guid lineId, string? transcription, string? description)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE messages SET transcription = @Transcription, description = @Description WHERE id = @Id", new
        {
            Id = lineId, Transcription = TextFit.CutOrNull(transcription, MaxMessageLength), Description = TextFit.CutOrNull(description, 2000),
        });
    }

    // One transcript line and the conversation's summary, every text cut to its column.
    private static object AppendArgs(Guid conversationId, string role, string text, bool human, string? customerName, string? customerPhone,
        Guid? lineId = null, string kind = MessageKinds.Text) => new
    {
        MessageId = lineId ?? Guid.CreateVersion7(),
        Kind = kind,
        Id = conversationId,
        Role = role,
        Text = TextFit.Cut(text, MaxMessageLength),
        LastMessage = TextFit.Cut(text, MaxLastMessageLength),
        State = human ? "humano" : "agente",
        CustomerName = TextFit.CutOrNull(customerName, 200),
        CustomerPhone = customerPhone is { Length: <= 20 } ? customerPhone : null,
    };

    private const string SetStateSql = $"""
        UPDATE conversations SET state = @State, updated_at = clock_timestamp() WHERE id = @Id
        RETURNING {SummaryColumns}
        """;

    /// <summary>A person takes the chat over (or gives it back): the new state and its audit row commit together.</summary>
    public async Task<ConversationSummary?> SetStateAsync(Guid conversationId, bool human, Guid tenantId, Actor actor)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(SetStateSql,
            new { Id = conversationId, State = human ? "humano" : "agente" }, transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "conversacion", conversationId.ToString(),
            human ? "tomar" : "liberar", new { estado = human ? "humano" : "agente" });
        await transaction.CommitAsync();
        return summary;
    }

    /// <summary>
    /// A person's reply, in the transcript and in the audit log (who, when, how long, what the platform
    /// answered — not the text, which stays in the transcript where retention applies).
    /// </summary>
    public async Task<ConversationSummary?> AppendHumanReplyAsync(Guid conversationId, string text, bool handoff, Guid tenantId, Actor actor, string channel, string? externalId)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(AppendSql, AppendArgs(conversationId, "humano", text, handoff, null, null), transaction);
        await AuditWriter.WriteAsync(transaction, tenantId, actor.UserId, "conversacion", conversationId.ToString(), "responder",
            new { canal = channel, caracteres = text.Length, id_externo = externalId });
        await transaction.CommitAsync();
        return summary;
    }

    public const string SummaryColumns = """
        id AS Id, channel AS Channel, customer_phone AS CustomerPhone, customer_name AS CustomerName, state AS State,
        last_message AS LastMessage, updated_at AS UpdatedAt
        """;

    public async Task<(ConversationSummary? Summary, List<TranscriptLine> Messages, List<DeadLetter> Failed)> DetailAsync(Guid conversationId, string key)
    {
        await using var connection = await database.OpenConnectionAsync();
        var summary = await connection.QuerySingleOrDefaultAsync<ConversationSummary>(
            $"SELECT {SummaryColumns} FROM conversations WHERE id = @Id", new { Id = conversationId });
        var media = await Media.MediaStore.ForConversationAsync(connection, conversationId);
        var lines = (await connection.QueryAsync<LineRow>(LinesSql, new { Id = conversationId }))
            .Select(l => new TranscriptLine(l.Role, l.Text, l.At, l.Kind, media[l.Id].ToList() is { Count: > 0 } files ? files : null, l.Transcription, l.Description))
            .ToList();
        var failed = (await connection.QueryAsync<DeadLetter>(FailedSql, new { Key = key })).AsList();
        return (summary, lines, failed);
    }

    private const string LinesSql = """
        SELECT id AS Id, role AS Role, text AS Text, created_at AS At, kind AS Kind, transcription AS Transcription, description AS Description
          FROM messages
         WHERE conversation_id = @Id
         ORDER BY created_at, id
        """;

    private sealed record LineRow(Guid Id, string Role, string Text, DateTime At, string Kind, string? Transcription, string? Description);

    private const string FailedSql = """
        SELECT message_id AS MessageId, text AS Text, attempts AS Attempts, coalesce(last_error, '') AS Error, failed_at AS FailedAt
          FROM inbound_messages
         WHERE conversation_key = @Key AND failed_at IS NOT NULL
         ORDER BY failed_at DESC
         LIMIT 50
        """;

    /// <summary>An inbox row as the conversation answers it, with the attempts it has used.</summary>
    public sealed record InboxItem(string Channel, string MessageId, string? SenderName, string Text, int Attempts,
        string Kind = MessageKinds.Text, string? Payload = null, DateTime SentAt = default);

    // A flood of messages is answered in bounded batches.
    private const string PendingSql = """
        SELECT channel AS Channel, message_id AS MessageId, sender_name AS SenderName, text AS Text, attempts AS Attempts,
               kind AS Kind, payload::text AS Payload, sent_at AS SentAt
          FROM inbound_messages
         WHERE conversation_key = @Key AND processed_at IS NULL
         ORDER BY sent_at, received_at
         LIMIT 50
        """;

    /// <summary>
    /// The rows the next attempt answers, their attempt already counted: the rows of an attempt that
    /// failed (they are retried together, so a retried order keeps its idempotency key), else every new row.
    /// </summary>
    public async Task<IReadOnlyList<InboxItem>> BeginInboxAttemptAsync(string key)
    {
        await using var connection = await database.OpenConnectionAsync();
        var pending = (await connection.QueryAsync<InboxItem>(PendingSql, new { Key = key })).AsList();
        var retried = pending.Where(p => p.Attempts > 0).ToList();
        var batch = retried.Count > 0 ? retried : pending;
        if (batch.Count > 0)
        {
            await connection.ExecuteAsync(
                "UPDATE inbound_messages SET attempts = attempts + 1 WHERE channel = @Channel AND message_id = ANY(@Ids)",
                new { batch[0].Channel, Ids = batch.Select(b => b.MessageId).ToArray() });
        }

        return batch.Select(b => b with { Attempts = b.Attempts + 1 }).ToList();
    }

    public async Task<bool> HasPendingAsync(string key)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM inbound_messages WHERE conversation_key = @Key AND processed_at IS NULL)", new { Key = key });
    }

    /// <summary>Rows that used up their attempts: processed, so they hold nothing back, and kept with the error as dead letters.</summary>
    public async Task DeadLetterAsync(IReadOnlyList<InboxItem> rows, string error)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            UPDATE inbound_messages SET processed_at = clock_timestamp(), failed_at = clock_timestamp(), last_error = @Error
             WHERE channel = @Channel AND message_id = ANY(@Ids)
            """, new { rows[0].Channel, Ids = rows.Select(r => r.MessageId).ToArray(), Error = TextFit.Cut(error, 1000) });
    }

    public async Task MarkProcessedAsync(IReadOnlyList<InboxItem> rows)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE inbound_messages SET processed_at = clock_timestamp() WHERE channel = @Channel AND message_id = ANY(@Ids)",
            new { rows[0].Channel, Ids = rows.Select(r => r.MessageId).ToArray() });
    }
}

/// <summary>Reads the conversations list; stateless, so it scales with the load.</summary>
[StatelessWorker, Reentrant]
public sealed class ConversationDirectoryGrain(NpgsqlDataSource database, Media.MediaStore media) : Grain, IConversationDirectoryGrain
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

    public Task<StoredMedia?> FindMediaAsync(Guid conversationId, Guid mediaId) => media.FindAsync(this.GetPrimaryKey(), conversationId, mediaId);
}
