package io.agentmediator.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Reads one record's body, refusing collections that claim more items than the record's bytes could carry.
 *
 * <p>An array or map block starts with its item count, and items of a type written as no bytes (null, an empty record)
 * cost nothing to claim: a record of a few dozen bytes can claim hundreds of millions of them, in a field the writer's
 * schema adds and ours skips item by item. Avro's own cap is a share of the heap, so each such record cost a stream thread
 * half a second. Every item of our schemas is at least a byte; the allowance beyond the record's length keeps a writer's
 * handful of empty items readable.
 */
final class ItemBoundDecoder extends Decoder {

    /** Items a record may hold beyond one a byte. */
    static final long ALLOWANCE = 4096;

    private final BinaryDecoder in;
    private final long maxItems;
    private long items;

    ItemBoundDecoder(BinaryDecoder in, int bodyLength) {
        this.in = in;
        this.maxItems = bodyLength + ALLOWANCE;
    }

    private long counted(long blockItems) throws IOException {
        // A block's count is negative when it is followed by its size in bytes: its magnitude is still the item count.
        items += Math.abs(blockItems);
        if (items > maxItems) {
            throw new TooManyItemsException(items, maxItems);
        }
        return blockItems;
    }

    /** A body whose collections hold more items than it could carry. */
    static final class TooManyItemsException extends IOException {
        TooManyItemsException(long items, long maxItems) {
            super("claims more collection items than its bytes could carry (" + items + " so far, at most " + maxItems + ")");
        }
    }

    @Override
    public long readArrayStart() throws IOException {
        return counted(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return counted(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return counted(in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return counted(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return counted(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return counted(in.skipMap());
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return in.readString(old);
    }

    @Override
    public String readString() throws IOException {
        return in.readString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return in.readBytes(old);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    @Override
    public int remainingBytes() {
        return in.remainingBytes();
    }
}
