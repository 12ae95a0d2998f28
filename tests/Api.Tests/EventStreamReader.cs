using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>One Server-Sent Events stream as a browser's EventSource reads it: events, and the comments between them.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    // The line being read, and the event being put together, carried over when a wait runs out.
    private Task<string?>? _line;
    private string? _type;
    private List<string> _data = [];

    private EventStreamReader(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    /// <summary>One event (Type and Data) or one comment line (Comment, without its colon).</summary>
    public sealed record Item(string? Type, JsonNode? Data, string? Comment);

    public HttpResponseMessage Response => _response;

    /// <summary>Everything read so far, in order.</summary>
    public List<Item> Seen { get; } = [];

    /// <summary>Opens the stream with its own connection, returning once the answer's headers arrived (whatever its status).</summary>
    public static async Task<EventStreamReader> OpenAsync(Uri baseAddress, string? token, string path = "/conversaciones/eventos")
    {
        // A connection of its own: a stream holds it for as long as it is open.
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var opening = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, opening.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(opening.Token));
        return new EventStreamReader(http, response, reader);
    }

    public static Task<EventStreamReader> OpenAsync(Uri baseAddress, ApiClient client) =>
        OpenAsync(baseAddress, client.Http.DefaultRequestHeaders.Authorization?.Parameter);

    public HttpStatusCode Status => _response.StatusCode;

    /// <summary>The whole body of an answer that is not a stream (a problem+json refusal).</summary>
    public Task<string> ReadBodyAsync() => _reader.ReadToEndAsync();

    /// <summary>
    /// The next event or comment; null when the server ended the stream. Fails when nothing comes in time,
    /// and the stream stays readable: the read in progress is kept for the next call (cancelling it would
    /// close the connection).
    /// </summary>
    public async Task<Item?> NextAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            _line ??= _reader.ReadLineAsync();
            string? line;
            try
            {
                var left = deadline - DateTime.UtcNow;
                line = await _line.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Nothing came on the stream within {timeout}; seen so far:\n{Describe()}");
            }

            _line = null;

            if (line is null)
            {
                return null;
            }

            Item? item = null;
            if (line.StartsWith(':'))
            {
                item = new Item(null, null, line[1..].Trim());
            }
            else if (line.Length == 0)
            {
                if (_data.Count > 0 || _type is not null)
                {
                    item = new Item(_type ?? "message", JsonNode.Parse(string.Join('\n', _data)), null);
                    (_type, _data) = (null, []);
                }
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                _type = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                _data.Add(line["data:".Length..].TrimStart());
            }

            if (item is not null)
            {
                Seen.Add(item);
                return item;
            }
        }
    }

    /// <summary>
    /// The first event of that type that matches, already read or read now (so the order in which two
    /// changes arrive does not matter). Fails when the stream ends or the time runs out first.
    /// </summary>
    public async Task<JsonNode> WaitForAsync(string type, Func<JsonNode, bool> match, TimeSpan? timeout = null)
    {
        if (Events(type).FirstOrDefault(match) is { } seen)
        {
            return seen;
        }

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var item = left > TimeSpan.Zero
                ? await NextAsync(left)
                : throw new TimeoutException($"No matching '{type}' event in time; seen:\n{Describe()}");
            if (item is null)
            {
                throw new InvalidOperationException($"The stream ended before a matching '{type}' event; seen:\n{Describe()}");
            }

            if (item.Type == type && item.Data is { } data && match(data))
            {
                return data;
            }
        }
    }

    /// <summary>The data of every event of that type read so far.</summary>
    public List<JsonNode> Events(string type) => Seen.Where(i => i.Type == type && i.Data is not null).Select(i => i.Data!).ToList();

    private string Describe() => string.Join('\n', Seen.Select(i => i.Comment is not null ? ":" + i.Comment : $"{i.Type}: {i.Data?.ToJsonString()}"));

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
