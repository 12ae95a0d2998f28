using Microsoft.Extensions.Caching.Memory;

namespace AgenteVendedor.Channels;

/// <summary>
/// Finds the channel a webhook delivery is for, with a short, bounded cache of the channels found
/// (one per silo). Misses are never cached: what a stranger sends cannot fill it, and a channel
/// configured a moment ago is found at once. A reconfigured channel is seen within <see cref="CacheFor"/>
/// on the other silos (at once on the one that saved it).
/// </summary>
public sealed class ChannelDirectory(ChannelStore store) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>At most this many channels are kept; beyond it the cache compacts itself.</summary>
    public const int MaxCachedChannels = 10_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedChannels });

    public async Task<ChannelRecord?> FindAsync(string kind, string externalId)
    {
        var key = (kind, externalId);
        if (_cache.TryGetValue(key, out ChannelRecord? cached) && cached is not null)
        {
            return cached;
        }

        var record = await store.FindByExternalIdAsync(kind, externalId);
        if (record is not null)
        {
            _cache.Set(key, record, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });
        }

        return record;
    }

    public void Forget(string kind, string externalId) => _cache.Remove((kind, externalId));

    public void Dispose() => _cache.Dispose();
}
