using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Channels;

/// <summary>A reply to send: text, and optionally reply buttons (≤ 3) or a list of choices (≤ 10).</summary>
public sealed record OutgoingMessage(string Text, IReadOnlyList<(string Id, string Title)>? Buttons = null,
    IReadOnlyList<(string Id, string Title, string Description)>? Choices = null);

/// <summary>What the platform answered: its message id, or an error code and text.</summary>
public sealed record SendResult(bool Sent, string? ExternalId, string? ErrorCode, string? ErrorMessage);

public sealed record SenderOptions(Uri GraphApiUrl, string GraphApiVersion, Uri TelegramApiUrl, int Attempts, TimeSpan FirstBackoff);

/// <summary>
/// Sends through WhatsApp's Graph API and Telegram's Bot API. Retries 5xx and 429 with exponential
/// back-off; other errors (e.g. WhatsApp 131047, outside the 24-hour window) are returned, not retried.
/// </summary>
public sealed class ChannelSenders(HttpClient http, SenderOptions options, SecretBox secrets, ILogger<ChannelSenders> logger)
{
    public Task<SendResult> SendAsync(ChannelRecord channel, string address, OutgoingMessage message) => channel.Kind switch
    {
        ChannelKinds.WhatsApp => SendWhatsAppAsync(channel, address, message),
        ChannelKinds.Telegram => SendTelegramAsync(channel, address, message),
        _ => Task.FromResult(new SendResult(true, null, null, null)),
    };

    private async Task<SendResult> SendWhatsAppAsync(ChannelRecord channel, string to, OutgoingMessage message)
    {
        var token = secrets.Open<WhatsAppSecrets>(channel.Secrets).AccessToken;
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to };
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

        var url = new Uri(options.GraphApiUrl, $"{options.GraphApiVersion}/{channel.ExternalId}/messages");
        return await PostAsync(url, token, body, json =>
            json?["messages"]?[0]?["id"]?.GetValue<string>(),
            json => (json?["error"]?["code"]?.ToString(), json?["error"]?["message"]?.GetValue<string>()));
    }

    private async Task<SendResult> SendTelegramAsync(ChannelRecord channel, string chatId, OutgoingMessage message)
    {
        var token = secrets.Open<TelegramSecrets>(channel.Secrets).BotToken;
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

        // "./": a token holds a colon, which would otherwise read as a URI scheme.
        var url = new Uri(options.TelegramApiUrl, $"./bot{token}/sendMessage");
        return await PostAsync(url, null, body, json =>
            json?["result"]?["message_id"]?.ToString(),
            json => (json?["error_code"]?.ToString(), json?["description"]?.GetValue<string>()));
    }

    private async Task<SendResult> PostAsync(Uri url, string? bearer, JsonObject body,
        Func<JsonNode?, string?> idOf, Func<JsonNode?, (string? Code, string? Message)> errorOf)
    {
        var delay = options.FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            if (bearer is not null)
            {
                request.Headers.Authorization = new("Bearer", bearer);
            }

            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendAsync(request);
                var json = await ReadJsonAsync(response);
                if (response.IsSuccessStatusCode)
                {
                    return new SendResult(true, idOf(json), null, null);
                }

                var (code, text) = errorOf(json);
                var retry = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                if (!retry || attempt >= options.Attempts)
                {
                    logger.LogWarning("Send to {Url} failed: {Status} {Code} {Message}", url.Host, (int)response.StatusCode, code, text);
                    return new SendResult(false, null, code ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
                }
            }
            catch (HttpRequestException e) when (attempt < options.Attempts)
            {
                logger.LogInformation(e, "Send attempt {Attempt} failed; retrying", attempt);
            }
            catch (HttpRequestException e)
            {
                return new SendResult(false, null, "red", e.Message);
            }
            finally
            {
                response?.Dispose();
            }

            await Task.Delay(delay);
            delay *= 2;
        }
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
