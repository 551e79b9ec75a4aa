;; Separable blur kernel for 8-bit samples, 8 at a time (WebAssembly SIMD).
;; Regenerate blur-wasm.generated.ts after editing: `npm run build:wasm` in the package.
;;
;; conv(src, dst, start, end, step, k0, k1, k2, k3): for i in [start, end), 8 samples per
;; iteration (the last iteration may write up to 7 samples past `end`):
;;   dst[i] = (k0 src[i] + k1 (src[i - step] + src[i + step]) + k2 (src[i - 2 step] + src[i + 2 step])
;;             + k3 (src[i - 3 step] + src[i + 3 step]) + 64) >> 7
;; with integer weights k0 + 2 (k1 + k2 + k3) = 128, so every sum fits in 16 bits. `step` is 3
;; along a row of interleaved RGB and the row length down a column; the caller keeps 3 steps
;; (plus 8 bytes) of padding around `src` and fixes the borders itself.
(module
  (memory (export "memory") 1)
  (func (export "conv")
    (param $src i32) (param $dst i32) (param $start i32) (param $end i32) (param $step i32)
    (param $k0 i32) (param $k1 i32) (param $k2 i32) (param $k3 i32)
    (local $i i32) (local $p i32) (local $s2 i32) (local $s3 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $half v128)
    (local $acc v128)
    (local.set $w0 (i16x8.splat (local.get $k0)))
    (local.set $w1 (i16x8.splat (local.get $k1)))
    (local.set $w2 (i16x8.splat (local.get $k2)))
    (local.set $w3 (i16x8.splat (local.get $k3)))
    (local.set $half (i16x8.splat (i32.const 64)))
    (local.set $s2 (i32.shl (local.get $step) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $step)))
    (local.set $i (local.get $start))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $src) (local.get $i)))
        (local.set $acc
          (i16x8.add
            (i16x8.add
              (i16x8.mul (local.get $w0) (v128.load8x8_u (local.get $p)))
              (local.get $half))
            (i16x8.add
              (i16x8.mul (local.get $w1)
                (i16x8.add
                  (v128.load8x8_u (i32.sub (local.get $p) (local.get $step)))
                  (v128.load8x8_u (i32.add (local.get $p) (local.get $step)))))
              (i16x8.add
                (i16x8.mul (local.get $w2)
                  (i16x8.add
                    (v128.load8x8_u (i32.sub (local.get $p) (local.get $s2)))
                    (v128.load8x8_u (i32.add (local.get $p) (local.get $s2)))))
                (i16x8.mul (local.get $w3)
                  (i16x8.add
                    (v128.load8x8_u (i32.sub (local.get $p) (local.get $s3)))
                    (v128.load8x8_u (i32.add (local.get $p) (local.get $s3)))))))))
        (i64.store
          (i32.add (local.get $dst) (local.get $i))
          (i64x2.extract_lane 0
            (i8x16.narrow_i16x8_u
              (i16x8.shr_u (local.get $acc) (i32.const 7))
              (i16x8.shr_u (local.get $acc) (i32.const 7)))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next))))
)
