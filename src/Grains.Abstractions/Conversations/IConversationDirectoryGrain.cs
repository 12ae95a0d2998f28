using AgenteVendedor.Common;

namespace AgenteVendedor.Conversations;

/// <summary>An empresa's conversations as a list (key: empresa id); reads PostgreSQL.</summary>
public interface IConversationDirectoryGrain : IGrainWithGuidKey
{
    Task<Page<ConversationSummary>> ListAsync(string? state, string? channel, int page, int size);

    /// <summary>The grain key of one of the empresa's conversations, or null.</summary>
    Task<string?> KeyOfAsync(Guid conversationId);

    /// <summary>
    /// A media file of one of the empresa's conversations, when it was stored; null for another empresa's ids,
    /// another conversation's media, or a download that failed. The bytes are read by the caller (see docs/API.md).
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task<StoredMedia?> FindMediaAsync(Guid conversationId, Guid mediaId);
}

[GenerateSerializer, Immutable, Alias("av.ConversationSummary")]
public sealed record ConversationSummary(
    [property: Id(0)] Guid Id, [property: Id(1)] string Channel, [property: Id(2)] string? CustomerPhone, [property: Id(3)] string? CustomerName,
    [property: Id(4)] string State, [property: Id(5)] string? LastMessage, [property: Id(6)] DateTime UpdatedAt);

[GenerateSerializer, Immutable, Alias("av.ConversationDetail")]
public sealed record ConversationDetail(
    [property: Id(0)] ConversationSummary Summary,
    [property: Id(1)] IReadOnlyList<TranscriptLine> Messages,
    [property: Id(2)] CartView Cart,
    [property: Id(3)] IReadOnlyList<Guid> Orders,
    [property: Id(4)] IReadOnlyList<DeadLetter> Failed);

/// <summary>An inbound message the agent could not answer within its attempts; it no longer holds the chat back.</summary>
[GenerateSerializer, Immutable, Alias("av.DeadLetter")]
public sealed record DeadLetter(
    [property: Id(0)] string MessageId, [property: Id(1)] string Text, [property: Id(2)] int Attempts,
    [property: Id(3)] string Error, [property: Id(4)] DateTime FailedAt);

[GenerateSerializer, Immutable, Alias("av.TranscriptLine")]
public sealed record TranscriptLine(
    [property: Id(0)] string Role, [property: Id(1)] string Text, [property: Id(2)] DateTime At,
    [property: Id(3)] string Kind = "texto",
    [property: Id(4)] IReadOnlyList<MediaItem>? Media = null,
    [property: Id(5)] string? Transcription = null,
    [property: Id(6)] string? Description = null);

/// <summary>
/// A file a customer sent with a message. <see cref="Status"/>: guardado (the bytes are kept and served),
/// demasiado_grande, sha256_distinto or fallido (not kept; <see cref="Error"/> says why).
/// </summary>
[GenerateSerializer, Immutable, Alias("av.MediaItem")]
public sealed record MediaItem(
    [property: Id(0)] Guid Id, [property: Id(1)] string Kind, [property: Id(2)] string? Mime, [property: Id(3)] long? Bytes,
    [property: Id(4)] string? FileName, [property: Id(5)] string Status, [property: Id(6)] string? Error);

/// <summary>A stored media file the empresa may read: what the response says about it (its bytes are read apart).</summary>
[GenerateSerializer, Immutable, Alias("av.StoredMedia")]
public sealed record StoredMedia(
    [property: Id(0)] Guid Id, [property: Id(1)] string Kind, [property: Id(2)] string Mime, [property: Id(3)] long Bytes, [property: Id(4)] string? FileName);
