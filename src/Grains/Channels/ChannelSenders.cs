using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Channels;

/// <summary>
/// A reply to send: text, and optionally reply buttons (≤ 3), a list of choices (≤ 10) or one product's image.
/// With <see cref="Template"/>, WhatsApp sends that approved template instead (outside the 24-hour window); Telegram sends the text.
/// </summary>
public sealed record OutgoingMessage(string Text, IReadOnlyList<(string Id, string Title)>? Buttons = null,
    IReadOnlyList<(string Id, string Title, string Description)>? Choices = null, ProductImage? Image = null, TemplateMessage? Template = null,
    CatalogList? Catalog = null);

/// <summary>WhatsApp: the choices as a catalog product_list instead (the Meta catalog's id, sections of retailer ids = skus).</summary>
public sealed record CatalogList(string CatalogId, IReadOnlyList<(string Title, IReadOnlyList<string> RetailerIds)> Sections);

/// <summary>An approved WhatsApp message template: its name, language code and the texts of its body's {{1}}, {{2}}… in order.</summary>
public sealed record TemplateMessage(string Name, string Language, IReadOnlyList<string> Parameters);

/// <summary>The picture of the one product a reply shows: its public URL, and the product's name as the short caption.</summary>
public sealed record ProductImage(string Url, string Name);

/// <summary>What the platform answered: its message id, or an error code and text.</summary>
public sealed record SendResult(bool Sent, string? ExternalId, string? ErrorCode, string? ErrorMessage);

/// <summary>Where the platforms are, and how a send is retried (Channels:SendAttempts, BackoffMilliseconds, AttemptTimeoutSeconds).</summary>
public sealed record SenderOptions(Uri GraphApiUrl, string GraphApiVersion, Uri TelegramApiUrl, int Attempts, TimeSpan FirstBackoff, TimeSpan AttemptTimeout);

/// <summary>
/// Sends through WhatsApp's Graph API and Telegram's Bot API. The HttpClient comes from the
/// factory with the standard resilience handler (see SiloSetup.AddChannels): 5xx, 408, 429 and
/// attempt timeouts are retried with exponential back-off; other errors (e.g. WhatsApp 131047,
/// outside the 24-hour window) are returned, not retried. A send that finally fails is a result
/// with an error code, never an exception thrown into the turn.
/// </summary>
/// Every WhatsApp send first waits for its turn from the <see cref="WhatsAppPacer"/> (per number across the cluster, per recipient).
public sealed class ChannelSenders(HttpClient http, SenderOptions options, SecretBox secrets, WhatsAppPacer pacer, ILogger<ChannelSenders> logger)
{
    public Task<SendResult> SendAsync(ChannelRecord channel, string address, OutgoingMessage message, CancellationToken cancellationToken = default) => channel.Kind switch
    {
        ChannelKinds.WhatsApp => SendWhatsAppAsync(channel, address, message, cancellationToken),
        ChannelKinds.Telegram => SendTelegramAsync(channel, address, message, cancellationToken),
        _ => Task.FromResult(new SendResult(true, null, null, null)),
    };

    /// <summary>
    /// Tells the customer their message was seen and an answer is being written: on WhatsApp the message marked read with
    /// the typing indicator (it clears on the reply or after 25 s), on Telegram the "typing" chat action. Best effort: false
    /// when the platform refused or could not be reached, never an exception.
    /// </summary>
    public async Task<bool> MarkReadAsync(ChannelRecord channel, string address, string platformMessageId, CancellationToken cancellationToken = default)
    {
        try
        {
            SendResult result;
            if (channel.Kind == ChannelKinds.WhatsApp)
            {
                var token = secrets.Open<WhatsAppSecrets>(channel.Secrets).AccessToken;
                result = await PostAsync(new Uri(options.GraphApiUrl, $"{options.GraphApiVersion}/{channel.ExternalId}/messages"), token, new JsonObject
                {
                    ["messaging_product"] = "whatsapp",
                    ["status"] = "read",
                    ["message_id"] = platformMessageId,
                    ["typing_indicator"] = new JsonObject { ["type"] = "text" },
                }, _ => null, json => (json?["error"]?["code"]?.ToString(), json?["error"]?["message"]?.GetValue<string>()), cancellationToken);
            }
            else if (channel.Kind == ChannelKinds.Telegram)
            {
                var token = secrets.Open<TelegramSecrets>(channel.Secrets).BotToken;
                result = await PostAsync(new Uri(options.TelegramApiUrl, $"./bot{token}/sendChatAction"), null,
                    new JsonObject { ["chat_id"] = address, ["action"] = "typing" }, _ => null,
                    json => (json?["error_code"]?.ToString(), json?["description"]?.GetValue<string>()), cancellationToken);
            }
            else
            {
                return false;
            }

            return result.Sent;
        }
        catch (Exception e) when (e is SecretUnreadableException or InvalidOperationException)
        {
            logger.LogWarning("Read receipt for channel {ChannelId} not sent: {Error}", channel.Id, e.Message);
            return false;
        }
    }

    // Both platforms cut a media caption at 1024 characters.
    private const int MaxCaption = 1024;

    private async Task<SendResult> SendWhatsAppAsync(ChannelRecord channel, string to, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var token = secrets.Open<WhatsAppSecrets>(channel.Secrets).AccessToken;
        var url = new Uri(options.GraphApiUrl, $"{options.GraphApiVersion}/{channel.ExternalId}/messages");
        async Task<SendResult> Post(JsonObject body)
        {
            await pacer.WaitForTurnAsync(channel.ExternalId, to, cancellationToken);
            try
            {
                return await PostAsync(url, token, body, json =>
                    json?["messages"]?[0]?["id"]?.GetValue<string>(),
                    json => (json?["error"]?["code"]?.ToString(), json?["error"]?["message"]?.GetValue<string>()), cancellationToken);
            }
            finally
            {
                await pacer.SentAsync(channel.ExternalId, to);
            }
        }

        JsonObject Envelope() => new() { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to };

        if (message.Template is { } template)
        {
            var sent = Envelope();
            sent["type"] = "template";
            sent["template"] = Notifications.WhatsAppTemplates.Body(template);
            return await Post(sent);
        }

        if (message.Image is { } image && message.Buttons is not { Count: > 0 })
        {
            // The reply as the image's caption when it fits; else the image under the product's name, then the text.
            var fits = message.Text.Length <= MaxCaption;
            var photo = Envelope();
            photo["type"] = "image";
            photo["image"] = new JsonObject { ["link"] = image.Url, ["caption"] = fits ? message.Text : Cut(image.Name, MaxCaption) };
            var sent = await Post(photo);
            if (fits || !sent.Sent)
            {
                return sent;
            }
        }

        var body = Envelope();
        if (message.Buttons is { Count: > 0 } buttons)
        {
            body["type"] = "interactive";
            body["interactive"] = new JsonObject
            {
                ["type"] = "button",
                ["body"] = new JsonObject { ["text"] = Cut(message.Text, 1024) },
                ["action"] = new JsonObject
                {
                    ["buttons"] = new JsonArray(buttons.Take(3).Select(b => (JsonNode)new JsonObject
                    {
                        ["type"] = "reply",
                        ["reply"] = new JsonObject { ["id"] = b.Id, ["title"] = Cut(b.Title, 20) },
                    }).ToArray()),
                },
            };
        }
        else if (message.Catalog is { } catalog)
        {
            body["type"] = "interactive";
            body["interactive"] = Commerce.CatalogOffers.Interactive(catalog, message.Text);
        }
        else if (message.Choices is { Count: > 1 } choices)
        {
            body["type"] = "interactive";
            body["interactive"] = new JsonObject
            {
                ["type"] = "list",
                ["body"] = new JsonObject { ["text"] = Cut(message.Text, 1024) },
                ["action"] = new JsonObject
                {
                    ["button"] = "Ver productos",
                    ["sections"] = new JsonArray(new JsonObject
                    {
                        ["title"] = "Productos",
                        ["rows"] = new JsonArray(choices.Take(10).Select(c => (JsonNode)new JsonObject
                        {
                            ["id"] = c.Id,
                            ["title"] = Cut(c.Title, 24),
                            ["description"] = Cut(c.Description, 72),
                        }).ToArray()),
                    }),
                },
            };
        }
        else
        {
            body["type"] = "text";
            body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = Cut(message.Text, 4096) };
        }

        return await Post(body);
    }

    private async Task<SendResult> SendTelegramAsync(ChannelRecord channel, string chatId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var token = secrets.Open<TelegramSecrets>(channel.Secrets).BotToken;
        // "./": a token holds a colon, which would otherwise read as a URI scheme.
        Task<SendResult> Post(string method, JsonObject body) => PostAsync(new Uri(options.TelegramApiUrl, $"./bot{token}/{method}"), null, body, json =>
            json?["result"]?["message_id"]?.ToString(),
            json => (json?["error_code"]?.ToString(), json?["description"]?.GetValue<string>()), cancellationToken);

        if (message.Image is { } image && message.Buttons is not { Count: > 0 })
        {
            var fits = message.Text.Length <= MaxCaption;
            var sent = await Post("sendPhoto", new JsonObject
            {
                ["chat_id"] = chatId,
                ["photo"] = image.Url,
                ["caption"] = fits ? message.Text : Cut(image.Name, MaxCaption),
            });
            if (fits || !sent.Sent)
            {
                return sent;
            }
        }

        var body = new JsonObject { ["chat_id"] = chatId, ["text"] = Cut(message.Text, 4096) };
        if (message.Buttons is { Count: > 0 } buttons)
        {
            body["reply_markup"] = new JsonObject
            {
                ["inline_keyboard"] = new JsonArray(new JsonArray(buttons.Select(b => (JsonNode)new JsonObject
                {
                    ["text"] = b.Title,
                    ["callback_data"] = b.Title,
                }).ToArray())),
            };
        }

        return await Post("sendMessage", body);
    }

    private async Task<SendResult> PostAsync(Uri url, string? bearer, JsonObject body,
        Func<JsonNode?, string?> idOf, Func<JsonNode?, (string? Code, string? Message)> errorOf, CancellationToken cancellationToken)
    {
        // Bytes with a Content-Length: some proxies refuse chunked uploads. The resilience handler resends the same content.
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var json = await ReadJsonAsync(response, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new SendResult(true, Fit(idOf(json), 200), null, null);
            }

            var (code, text) = errorOf(json);
            logger.LogWarning("Send to {Host} failed: {Status} {Code} {Message}", url.Host, (int)response.StatusCode, code, text);
            return Failed(code ?? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), text);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException
            or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            // Out of attempts (a timeout, a refused connection, an open circuit): recorded as failed by the caller.
            logger.LogWarning("Send to {Host} failed after its attempts: {Error}", url.Host, e.Message);
            return Failed(e is HttpRequestException ? "red" : "tiempo", e.Message);
        }
    }

    // outbound_messages: external_id varchar(200), error_code varchar(20), error_message varchar(1000).
    private static SendResult Failed(string? code, string? message) => new(false, null, Fit(code, 20), Fit(message, 1000));

    private static string? Fit(string? text, int max) => text is null ? null : TextFit.Cut(text, max);

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Cut(string text, int max) => TextFit.Cut(text, max);
}
