using AgenteVendedor.Channels;
using AgenteVendedor.Conversations;
using Dapper;
using Npgsql;

namespace AgenteVendedor.Notifications;

/// <summary>What became of a message to a customer.</summary>
public abstract record MessengerOutcome;

/// <summary>The platform took it: <paramref name="Via"/> is "texto" or "plantilla" (then <paramref name="Template"/> names it).</summary>
public sealed record MessageSent(string Via, string? Template, string? ExternalId) : MessengerOutcome;

/// <summary>
/// The platform refused it (e.g. 131047, 132001) or could not be reached. <paramref name="Transient"/>: worth trying again
/// later (network, 5xx, the rate limits 130429 and 131056); otherwise trying again would be refused the same way.
/// </summary>
public sealed record MessageRefused(string Via, string? Template, string Code, string? Message, bool Transient) : MessengerOutcome;

/// <summary>Nothing was sent, for <paramref name="Reason"/> (in Spanish, for staff): e.g. outside the window with no template mapped.</summary>
public sealed record MessageOmitted(string Reason) : MessengerOutcome;

/// <summary>
/// Sends one message to a customer on WhatsApp or Telegram, choosing how: WhatsApp inside the 24-hour
/// customer-service window (from the <c>sent_at</c> of the customer's last inbound message on that number,
/// i.e. the platform's timestamp) gets the free text; outside it, the empresa's template for the event, with
/// its parameters in the mapped order; without one, nothing is sent. Telegram has no window: always the text.
/// Every WhatsApp send is paced (<see cref="WhatsAppPacer"/>), so a caller may send in bursts.
/// </summary>
public sealed class CustomerMessenger(ChannelStore channels, NotificationTemplateStore templates, ChannelSenders senders, NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Meta's customer-service window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public const string ViaText = "texto";
    public const string ViaTemplate = "plantilla";

    private const string LastInboundSql = "SELECT max(sent_at) FROM inbound_messages WHERE conversation_key = @Key";

    // Meta's codes worth another try later: temporary errors (1, 2, 131000, 133004), rate limits (4, 80007, 130429, 131056).
    private static readonly HashSet<string> TransientCodes = ["1", "2", "4", "80007", "130429", "131000", "131056", "133004", "red", "tiempo"];

    /// <summary>
    /// Sends <paramref name="text"/> (or the template of <paramref name="eventName"/>) to <paramref name="address"/>.
    /// </summary>
    /// <param name="tenantId">The empresa whose channel sends it.</param>
    /// <param name="channelKind"><see cref="ChannelKinds.WhatsApp"/> or <see cref="ChannelKinds.Telegram"/>; any other kind is omitted.</param>
    /// <param name="address">The WhatsApp wa_id (digits, no "+") or the Telegram chat id.</param>
    /// <param name="eventName">One of <see cref="NotificationEvents.All"/>: which mapped template to use outside the window.</param>
    /// <param name="text">The free text (Spanish, ≤ 4096 characters) sent inside the window and on Telegram.</param>
    /// <param name="parameters">Values by <see cref="TemplateParameters"/> name (cliente, empresa, venta, estado, total, productos, nota);
    /// the template takes those its mapping names, in that order ("-" for a name without a value).</param>
    /// <returns><see cref="MessageSent"/>, <see cref="MessageRefused"/> or <see cref="MessageOmitted"/>; never throws for a platform's answer.</returns>
    public async Task<MessengerOutcome> SendAsync(Guid tenantId, string channelKind, string address, string eventName, string text,
        IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        if (channelKind is not (ChannelKinds.WhatsApp or ChannelKinds.Telegram))
        {
            return new MessageOmitted($"El canal {channelKind} no envía mensajes al cliente.");
        }

        if (await channels.FindForTenantAsync(tenantId, channelKind) is not { } channel)
        {
            return new MessageOmitted($"El canal {channelKind} no está configurado.");
        }

        if (channelKind == ChannelKinds.Telegram || await InsideWindowAsync(tenantId, channelKind, address))
        {
            return Outcome(await senders.SendAsync(channel, address, new OutgoingMessage(text), cancellationToken), ViaText, null);
        }

        if (await templates.FindAsync(tenantId, eventName) is not { } template)
        {
            return new MessageOmitted(
                $"El cliente no escribe hace más de 24 horas y no hay plantilla de WhatsApp asignada a {eventName}: Meta solo admite plantillas aprobadas fuera de esa ventana.");
        }

        var values = template.Parameters.Select(name => parameters.GetValueOrDefault(name) ?? "-").ToList();
        var message = new OutgoingMessage(text, Template: new TemplateMessage(template.Name, template.Language, values));
        return Outcome(await senders.SendAsync(channel, address, message, cancellationToken), ViaTemplate, template.Name);
    }

    private async Task<bool> InsideWindowAsync(Guid tenantId, string channelKind, string address)
    {
        await using var connection = await database.OpenConnectionAsync();
        var last = await connection.ExecuteScalarAsync<DateTime?>(LastInboundSql, new { Key = ConversationKey.For(tenantId, channelKind, address) });
        return last is { } at && clock.GetUtcNow().UtcDateTime - at < Window;
    }

    private static MessengerOutcome Outcome(SendResult result, string via, string? template) => result.Sent
        ? new MessageSent(via, template, result.ExternalId)
        : new MessageRefused(via, template, result.ErrorCode ?? "desconocido", result.ErrorMessage, IsTransient(result.ErrorCode));

    /// <summary>Network failures, 5xx, 408, 429 and Meta's temporary and rate-limit codes are transient; every other refusal is final.</summary>
    public static bool IsTransient(string? code) =>
        code is null || TransientCodes.Contains(code) || code is "408" or "429" || (code.Length == 3 && code[0] == '5' && code.All(char.IsAsciiDigit));
}
