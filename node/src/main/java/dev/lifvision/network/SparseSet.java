package dev.lifvision.network;

/** A set of indices in [0, capacity) with O(1) add and O(size) clear; no allocation after construction. */
public final class SparseSet {
    private final int[] items;
    private final boolean[] present;
    private int size;

    public SparseSet(int capacity) {
        items = new int[capacity];
        present = new boolean[capacity];
    }

    public void add(int i) {
        if (!present[i]) {
            present[i] = true;
            items[size++] = i;
        }
    }

    public int size() {
        return size;
    }

    public int get(int k) {
        return items[k];
    }

    public void clear() {
        for (int k = 0; k < size; k++) {
            present[items[k]] = false;
        }
        size = 0;
    }
}
