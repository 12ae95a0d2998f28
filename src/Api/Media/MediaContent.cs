using System.Data;
using Npgsql;

namespace AgenteVendedor.Api.Media;

/// <summary>
/// Streams a stored file's bytes from the media table to the response, without holding the whole file in memory.
/// Called only after the conversation's grain said the file is the empresa's and stored; the query names the
/// empresa again so a wrong call can never serve another empresa's bytes.
/// </summary>
public sealed class MediaContent(NpgsqlDataSource database)
{
    private const string ContentSql = """
        SELECT content FROM media
         WHERE id = @id AND conversation_id = @conversation AND tenant_id = @tenant AND status = 'guardado'
        """;

    public async Task CopyAsync(Guid tenantId, Guid conversationId, Guid mediaId, Stream destination, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(ContentSql, connection);
        command.Parameters.AddWithValue("id", mediaId);
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            await using var content = await reader.GetStreamAsync(0, cancellationToken);
            await content.CopyToAsync(destination, cancellationToken);
        }
    }
}
