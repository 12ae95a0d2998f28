using Npgsql;

namespace AgenteVendedor.Testing;

/// <summary>
/// Reads what the product recorded for one chat (inbox rows, replies sent), so a test can wait for
/// "everything received was answered" instead of sleeping before it checks that nothing more happened.
/// </summary>
public sealed class ChannelRecords(PostgresDatabase database)
{
    public sealed record Inbound(string MessageId, string Text, bool Processed);

    public sealed record Outbound(string Status, string? ExternalId, string? ErrorCode);

    public static string Key(Guid empresaId, string channel, string address) => $"{empresaId:N}/{channel}/{address}";

    private const string InboundSql = """
        SELECT message_id, text, processed_at IS NOT NULL FROM inbound_messages
         WHERE conversation_key = @key ORDER BY received_at
        """;

    public async Task<List<Inbound>> InboundAsync(string conversationKey)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(InboundSql, connection);
        command.Parameters.AddWithValue("key", conversationKey);
        var rows = new List<Inbound>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Inbound(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }

    private const string OutboundSql = """
        SELECT o.status, o.external_id, o.error_code FROM outbound_messages o
          JOIN conversations c ON c.id = o.conversation_id
         WHERE c.conversation_key = @key ORDER BY o.created_at
        """;

    public async Task<List<Outbound>> OutboundAsync(string conversationKey)
    {
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(OutboundSql, connection);
        command.Parameters.AddWithValue("key", conversationKey);
        var rows = new List<Outbound>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Outbound(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>
    /// Waits until the chat holds exactly <paramref name="messages"/> inbox rows and all are processed: the
    /// product marks a row processed only after it sent (or gave up sending) the reply, so nothing about
    /// those messages is still on its way. Throws when there are more rows, or when that does not happen within the timeout.
    /// </summary>
    public async Task<List<Inbound>> WaitUntilAnsweredAsync(string conversationKey, int messages, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var rows = await InboundAsync(conversationKey);
        while (!(rows.Count == messages && rows.All(r => r.Processed)))
        {
            if (DateTime.UtcNow > deadline || rows.Count > messages)
            {
                throw new InvalidOperationException($"{conversationKey}: expected {messages} processed inbox rows, found "
                    + string.Join(", ", rows.Select(r => $"{r.MessageId} ({(r.Processed ? "processed" : "pending")})")));
            }

            await Task.Delay(100);
            rows = await InboundAsync(conversationKey);
        }

        return rows;
    }
}
