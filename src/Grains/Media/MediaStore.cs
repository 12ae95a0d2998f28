using AgenteVendedor.Conversations;
using AgenteVendedor.Text;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Media;

/// <summary>The media table: each downloaded file (or the reason it was not kept), linked to its transcript line and empresa.</summary>
public sealed class MediaStore(NpgsqlDataSource database)
{
    private const string InsertSql = """
        INSERT INTO media (id, tenant_id, conversation_id, message_id, kind, platform_id, mime, file_name, bytes, sha256, status, error, content)
        VALUES (@Id, @TenantId, @ConversationId, @MessageId, @Kind, @PlatformId, @Mime, @FileName, @Bytes, @Sha256, @Status, @Error, @Content)
        """;

    public async Task<MediaItem> InsertAsync(Guid tenantId, Guid conversationId, Guid lineId, string kind, MediaSource source, MediaDownload download)
    {
        var item = new MediaItem(Guid.CreateVersion7(), kind, download.Mime ?? source.Mime, download.Content?.LongLength, source.FileName, download.Status, download.Error);
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(InsertSql, new
        {
            item.Id, TenantId = tenantId, ConversationId = conversationId, MessageId = lineId, Kind = kind, source.PlatformId,
            Mime = TextFit.CutOrNull(item.Mime, 100), FileName = TextFit.CutOrNull(source.FileName, 240), item.Bytes, download.Sha256,
            download.Status, Error = TextFit.CutOrNull(download.Error, 1000), download.Content,
        });
        return item;
    }

    private const string ForConversationSql = """
        SELECT message_id AS MessageId, id AS Id, kind AS Kind, mime AS Mime, bytes AS Bytes, file_name AS FileName, status AS Status, error AS Error
          FROM media
         WHERE conversation_id = @ConversationId
         ORDER BY created_at, id
        """;

    /// <summary>The media of a conversation's lines, by line id.</summary>
    public static async Task<ILookup<Guid, MediaItem>> ForConversationAsync(NpgsqlConnection connection, Guid conversationId) =>
        (await connection.QueryAsync<MediaRow>(ForConversationSql, new { ConversationId = conversationId }))
            .ToLookup(r => r.MessageId, r => new MediaItem(r.Id, r.Kind, r.Mime, r.Bytes, r.FileName, r.Status, r.Error));

    private sealed record MediaRow(Guid MessageId, Guid Id, string Kind, string? Mime, long? Bytes, string? FileName, string Status, string? Error);

    private const string FindSql = """
        SELECT id AS Id, kind AS Kind, mime AS Mime, bytes AS Bytes, file_name AS FileName
          FROM media
         WHERE id = @MediaId AND conversation_id = @ConversationId AND tenant_id = @TenantId AND status = 'guardado'
        """;

    /// <summary>A stored file of the empresa's conversation, or null (another empresa's, another conversation's, or not kept).</summary>
    public async Task<StoredMedia?> FindAsync(Guid tenantId, Guid conversationId, Guid mediaId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<StoredMedia>(FindSql, new { TenantId = tenantId, ConversationId = conversationId, MediaId = mediaId });
    }
}
