using AgenteVendedor.Channels;
using AgenteVendedor.Media;
using AgenteVendedor.Text;

namespace AgenteVendedor.Conversations.Inbound;

/// <summary>The conversation a batch of inbox rows belongs to; <see cref="Channel"/> is null when the empresa removed it.</summary>
public sealed record IntakeContext(Guid TenantId, Guid ConversationId, ChannelRecord? Channel, bool Human, string? CustomerPhone);

/// <summary>
/// What a batch asks of the conversation: <see cref="AgentText"/> for the agent to answer (empty when nothing is to be
/// answered), a <see cref="Notice"/> to send as it is (e.g. offline, a voice note), and whether the chat now waits for a person.
/// </summary>
public sealed record IntakeResult(string AgentText, string? Notice, bool HandsOff, ConversationSummary? Summary);

/// <summary>
/// Takes in a batch of inbound messages before the agent answers it: each message becomes its own transcript line
/// with its kind; its file is downloaded and kept (<see cref="MediaDownloader"/>, <see cref="MediaStore"/>); a voice
/// note is transcribed and a photo without caption described when a model is configured (<see cref="MediaUnderstanding"/>);
/// and <see cref="InboundRules"/> says what each kind asks for.
/// </summary>
public sealed class InboundIntake(ConversationStore transcripts, MediaDownloader downloader, MediaStore media, MediaUnderstanding understanding)
{
    public async Task<IntakeResult> TakeAsync(IntakeContext context, IReadOnlyList<ConversationStore.InboxItem> batch, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        var notices = new List<string>();
        var handsOff = false;
        ConversationSummary? summary = null;
        foreach (var item in batch)
        {
            var (lineId, lineSummary) = await transcripts.AppendInboundAsync(context.ConversationId, item.Kind, item.Text, context.Human, item.SenderName, context.CustomerPhone);
            summary = lineSummary ?? summary;
            var download = await DownloadAsync(context, lineId, item, cancellationToken);
            var read = await UnderstandAsync(item, download, cancellationToken);
            if (read.Transcription is not null || read.Description is not null)
            {
                await transcripts.AnnotateAsync(lineId, read.Transcription, read.Description);
            }

            var step = InboundRules.For(item.Kind, item.Text, read);
            if (step.AgentText is { Length: > 0 } text)
            {
                texts.Add(text);
            }

            if (step.Notice is { } notice && !notices.Contains(notice))
            {
                notices.Add(notice);
            }

            handsOff |= step.HandsOff;
        }

        return new IntakeResult(TextFit.Cut(string.Join("\n", texts), ConversationStore.MaxMessageLength),
            notices.Count > 0 ? string.Join("\n\n", notices) : null, handsOff, summary);
    }

    private async Task<(MediaDownload Download, string Mime)?> DownloadAsync(IntakeContext context, Guid lineId, ConversationStore.InboxItem item, CancellationToken cancellationToken)
    {
        if (MediaSource.From(item.Channel, item.Kind, item.Payload) is not { } source)
        {
            return null;
        }

        var download = context.Channel is { } channel
            ? await downloader.DownloadAsync(channel, item.Kind, source, cancellationToken)
            : MediaDownload.Refused(MediaDownload.Failed, "El canal ya no está configurado.");
        var stored = await media.InsertAsync(context.TenantId, context.ConversationId, lineId, item.Kind, source, download);
        return (download, stored.Mime ?? "application/octet-stream");
    }

    private async Task<Understood> UnderstandAsync(ConversationStore.InboxItem item, (MediaDownload Download, string Mime)? file, CancellationToken cancellationToken)
    {
        var content = file?.Download.Content;
        return item.Kind switch
        {
            MessageKinds.Audio when content is not null && understanding.CanListen =>
                new Understood(await understanding.TranscribeAsync(content, cancellationToken), null),
            MessageKinds.Image when content is not null && understanding.CanSee && InboundRules.IsMarker(item.Text) =>
                new Understood(null, await understanding.DescribeAsync(content, file!.Value.Mime, cancellationToken)),
            _ => Understood.Nothing,
        };
    }
}

/// <summary>What a model made of a message's file: a transcription, a description, or nothing.</summary>
public sealed record Understood(string? Transcription, string? Description)
{
    public static readonly Understood Nothing = new(null, null);
}
